package io.switchguard.store;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import io.switchguard.config.SwitchguardConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/**
 * The store's database and what is built on it. Two named datasources ({@code h2}, {@code pg}) are
 * built in and {@code switchguard.store.url} activates one ({@link StoreDataSourceSwitch}); Flyway has
 * migrated it by the time anything here is used.
 *
 * <p>Everyone else injects a plain {@code @Inject DataSource} (or {@code AgroalDataSource}): the
 * producer below is that default bean, the active datasource whichever database it is. Never inject
 * {@code @io.quarkus.agroal.DataSource("h2"|"pg")} directly: the inactive one fails on use.
 */
@ApplicationScoped
class StoreProducer {

    private final SwitchguardConfig config;
    private final InjectableInstance<AgroalDataSource> dataSources;

    StoreProducer(SwitchguardConfig config, @Any InjectableInstance<AgroalDataSource> dataSources) {
        this.config = config;
        this.dataSources = dataSources;
    }

    /** The active store datasource; an alternative so it wins over any built-in default datasource bean. */
    @Produces
    @Singleton
    @Default
    @Alternative
    @Priority(1)
    AgroalDataSource storeDataSource() {
        String url = config.store().url();
        StoreDatabase db = StoreDatabase.of(url).orElseThrow(() -> new IllegalStateException(
                "switchguard.store.url: only jdbc:h2: and jdbc:postgresql: URLs are supported"));
        return dataSources.select(new io.quarkus.agroal.DataSource.DataSourceLiteral(db.datasource())).get();
    }

    /**
     * The outbox (produced with the notification settings) receives the events of begin/update; the locks it takes
     * name this process.
     */
    @Produces
    @Singleton
    ActionStore actionStore(DataSource dataSource, OutboxStore outbox, LeaseKeeper keeper) {
        return new JdbcActionStore(dataSource, outbox, keeper.instanceId());
    }

    /** The checker's leader lease ({@link LeaseStore#CHECKER}). */
    @Produces
    @Singleton
    LeaseStore leaseStore(DataSource dataSource) {
        return new JdbcLeaseStore(dataSource, LeaseStore.CHECKER);
    }
}
