package io.switchguard.store;

import io.quarkus.arc.InjectableInstance;
import io.quarkus.flyway.FlywayDataSource;
import io.quarkus.runtime.StartupEvent;
import io.switchguard.config.SwitchguardConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Migrates the active store database once the configuration checks have passed (StartupCheck, priority 1;
 * the notification check, 2): a configuration error is reported naming its key, never hidden behind a locked or
 * unreachable database. Quarkus's own migrate-at-start would run before any of them, so it is off.
 */
@ApplicationScoped
class StoreMigration {

    private static final Logger LOG = Logger.getLogger(StoreMigration.class);

    void migrate(@Observes @Priority(3) StartupEvent event, SwitchguardConfig config,
            @Any InjectableInstance<Flyway> flyways) {
        StoreDatabase db = StoreDatabase.of(config.store().url()).orElseThrow(() -> new IllegalStateException(
                "switchguard.store.url: only jdbc:h2: and jdbc:postgresql: URLs are supported"));
        var result = flyways.select(FlywayDataSource.FlywayDataSourceLiteral.of(db.datasource())).get().migrate();
        LOG.infof("store %s migrated: %d migrations applied, schema version %s", db.name().toLowerCase(),
                result.migrationsExecuted, result.targetSchemaVersion);
    }
}
