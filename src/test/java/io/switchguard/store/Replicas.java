package io.switchguard.store;

import javax.sql.DataSource;

/** What tests do to replicas on a shared store. */
public final class Replicas {

    private Replicas() {}

    /**
     * As if the replica's TTL had run out since its last round (it was killed, or stalled): its membership and its
     * leases end in the database, whose clock is the only one leases obey.
     */
    public static void lapse(DataSource dataSource, String instanceId) {
        Jdbc.inTransaction(dataSource, "lapse " + instanceId, c -> {
            var past = Jdbc.databaseNow(c).minusSeconds(1);
            Jdbc.update(c, "UPDATE leases SET expires_at = ? WHERE holder = ?", past, instanceId);
            return Jdbc.update(c, "UPDATE replicas SET expires_at = ? WHERE instance_id = ?", past, instanceId);
        });
    }
}
