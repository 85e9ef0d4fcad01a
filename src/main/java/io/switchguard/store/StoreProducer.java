package io.switchguard.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** The journal over the default (Agroal) datasource, migrated by Flyway at start. */
@ApplicationScoped
class StoreProducer {

    private final DataSource dataSource;

    StoreProducer(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Produces
    @Singleton
    ActionStore actionStore() {
        return new JdbcActionStore(dataSource);
    }
}
