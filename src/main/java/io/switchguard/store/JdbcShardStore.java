package io.switchguard.store;

import static io.switchguard.store.Jdbc.databaseNow;
import static io.switchguard.store.Jdbc.isUniqueViolation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The shard leases and the replicas' membership rows ({@code V9__shards.sql}) over plain JDBC, same SQL on H2 and
 * PostgreSQL. A shard is an ordinary lease named {@code shard-<i>-of-<n>} ({@link #leaseName}), so taking, renewing,
 * releasing and fencing it are {@link JdbcLeaseStore}'s, with the same guarantees: of racing takers exactly one wins,
 * and a write fenced by a stale epoch is refused in the store. Expiry is the database clock's, as for every lease.
 */
public class JdbcShardStore {

    private final DataSource dataSource;
    private final Map<String, JdbcLeaseStore> leases = new ConcurrentHashMap<>();

    public JdbcShardStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** A replica that renewed its membership within the TTL, and the shard count it runs with. */
    public record Member(String id, int shards, Instant joinedAt, Instant expiresAt) {}

    /** The live replicas, eldest first, and the database clock they were judged by. */
    public record Members(List<Member> live, Instant now) {}

    /** The lease name of shard {@code shard} of {@code of}: the count is in the name, so two counts never share a lease. */
    public static String leaseName(int shard, int of) {
        return "shard-" + shard + "-of-" + of;
    }

    /** The shard number of a shard lease ({@link #leaseName}). */
    public static int shardNumber(Lease shardLease) {
        String name = shardLease.name();
        return Integer.parseInt(name.substring("shard-".length(), name.indexOf("-of-")));
    }

    /**
     * Renews (or starts) this replica's membership until now + ttl and returns every live member. A replica that
     * comes back after its row lapsed counts as joining again.
     */
    public Members heartbeat(String id, int shards, Duration ttl) {
        Jdbc.requirePositive(ttl, "ttl");
        return Jdbc.inTransaction(dataSource, "heartbeat of replica " + id, c -> {
            OffsetDateTime now = databaseNow(c);
            OffsetDateTime expires = now.plus(ttl);
            if (Jdbc.update(c, "UPDATE replicas SET shards = ?, expires_at = ? WHERE instance_id = ? AND expires_at > ?",
                    shards, expires, id, now) == 0
                    && Jdbc.update(c, "UPDATE replicas SET shards = ?, joined_at = ?, expires_at = ? WHERE instance_id = ?",
                    shards, now, expires, id) == 0) {
                try {
                    Jdbc.update(c, "INSERT INTO replicas (instance_id, shards, joined_at, expires_at) VALUES (?, ?, ?, ?)",
                            id, shards, now, expires);
                } catch (SQLException e) {
                    if (!isUniqueViolation(e)) {
                        throw e;
                    }
                    c.rollback(); // only this replica writes its row: a duplicate is a retried first insert
                }
            }
            return new Members(members(c, now), now.toInstant());
        });
    }

    /** The live replicas now, eldest first. */
    public Members members() {
        return Jdbc.inTransaction(dataSource, "read replicas", c -> {
            OffsetDateTime now = databaseNow(c);
            return new Members(members(c, now), now.toInstant());
        });
    }

    /** Ends this replica's membership at once (shutdown): the others count one replica fewer at their next renewal. */
    public void leave(String id) {
        Jdbc.inTransaction(dataSource, "leave of replica " + id, c -> {
            OffsetDateTime now = databaseNow(c);
            return Jdbc.update(c, "UPDATE replicas SET expires_at = ? WHERE instance_id = ? AND expires_at > ?", now, id,
                    now);
        });
    }

    /** Every shard lease of this count that was ever taken, live or lapsed, by shard number. */
    public List<Lease> leases(int of) {
        return Jdbc.inTransaction(dataSource, "read shard leases", c -> {
            List<Lease> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, holder, epoch, since, expires_at FROM leases"
                    + " WHERE name LIKE ?")) {
                ps.setString(1, "shard-%-of-" + of);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Lease(rs.getString("name"), rs.getString("holder"), rs.getLong("epoch"),
                                rs.getObject("since", OffsetDateTime.class).toInstant(),
                                rs.getObject("expires_at", OffsetDateTime.class).toInstant()));
                    }
                }
            }
            return out;
        });
    }

    /** {@link LeaseStore#acquireOrRenew} on the shard's lease. */
    public Lease acquireOrRenew(int shard, int of, String holder, Duration ttl) {
        return lease(shard, of).acquireOrRenew(holder, ttl);
    }

    /** {@link LeaseStore#release} on the shard's lease: the next taker starts a new term (epoch + 1). */
    public void release(int shard, int of, String holder) {
        lease(shard, of).release(holder);
    }

    private JdbcLeaseStore lease(int shard, int of) {
        return leases.computeIfAbsent(leaseName(shard, of), name -> new JdbcLeaseStore(dataSource, name));
    }

    private static List<Member> members(Connection c, OffsetDateTime now) throws SQLException {
        List<Member> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT instance_id, shards, joined_at, expires_at FROM replicas"
                + " WHERE expires_at > ? ORDER BY joined_at, instance_id")) {
            ps.setObject(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Member(rs.getString("instance_id"), rs.getInt("shards"),
                            rs.getObject("joined_at", OffsetDateTime.class).toInstant(),
                            rs.getObject("expires_at", OffsetDateTime.class).toInstant()));
                }
            }
        }
        return out;
    }
}
