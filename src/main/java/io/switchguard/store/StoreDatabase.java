package io.switchguard.store;

import java.util.Optional;

/**
 * The two databases one build can run on, and which named Quarkus datasource serves each. The JDBC
 * driver is fixed at build time, so both datasources are built in and {@code switchguard.store.url}
 * switches the unused one off at runtime ({@link StoreDataSourceSwitch}); {@link StoreProducer} then
 * serves the active one as the application's only {@code DataSource}.
 */
public enum StoreDatabase {
    /** The default: a file (or, in tests, in-memory) database inside this process. */
    H2("h2", "jdbc:h2:"),
    /** Shared by replicas and FaaS instances: single flight, journal and lease hold across them. */
    POSTGRESQL("pg", "jdbc:postgresql:");

    /** The default of {@code switchguard.store.url} (mirrors {@code SwitchguardConfig.Store#url}). */
    static final String DEFAULT_URL = "jdbc:h2:file:./data/switchguard";

    private final String datasource;
    private final String urlPrefix;

    StoreDatabase(String datasource, String urlPrefix) {
        this.datasource = datasource;
        this.urlPrefix = urlPrefix;
    }

    /** The Quarkus datasource name ({@code quarkus.datasource."<name>".*}). */
    public String datasource() {
        return datasource;
    }

    /**
     * Whether only this process can write the store: an H2 file or in-memory database it opened itself, not an H2
     * server (tcp:, ssl:) nor a file shared through AUTO_SERVER.
     */
    public static boolean inProcess(String url) {
        String u = (url == null || url.isBlank() ? DEFAULT_URL : url.trim()).toLowerCase(java.util.Locale.ROOT);
        return u.startsWith("jdbc:h2:") && !u.startsWith("jdbc:h2:tcp:") && !u.startsWith("jdbc:h2:ssl:")
                && !u.replace(" ", "").contains("auto_server=true");
    }

    /** The database a store URL names; empty for an unsupported URL (the startup check names the key). */
    public static Optional<StoreDatabase> of(String url) {
        String u = url == null || url.isBlank() ? DEFAULT_URL : url.trim();
        for (StoreDatabase db : values()) {
            if (u.startsWith(db.urlPrefix)) {
                return Optional.of(db);
            }
        }
        return Optional.empty();
    }
}
