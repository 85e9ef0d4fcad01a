package io.switchguard.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** The journal over the default (Agroal) datasource, migrated by Flyway at start, writing events into the outbox. */
@ApplicationScoped
class StoreProducer {

    private final DataSource dataSource;

    StoreProducer(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The outbox (produced with the notification settings) receives the events of begin/update. */
    @Produces
    @Singleton
    ActionStore actionStore(OutboxStore outbox) {
        return new JdbcActionStore(dataSource, outbox);
    }
}
