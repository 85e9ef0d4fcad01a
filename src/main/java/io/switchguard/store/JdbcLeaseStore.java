package io.switchguard.store;

import static io.switchguard.store.Jdbc.databaseNow;
import static io.switchguard.store.Jdbc.isUniqueViolation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link LeaseStore} over plain JDBC, one lease name per instance, on the store's DataSource (same SQL
 * on H2 and PostgreSQL). Each call is one short transaction.
 *
 * <p>As for the switchover lock ({@link JdbcActionStore}), "now" is the database's CURRENT_TIMESTAMP
 * read in the transaction that writes or compares expires_at, and atomicity comes from the database:
 * an UPDATE ... WHERE re-checks its condition on the row it locked, so of several takers of a lapsed
 * lease exactly one sees an update count of 1, and the primary key lets only one first INSERT through.
 */
public class JdbcLeaseStore implements LeaseStore {

    private static final String COLUMNS = "name, holder, epoch, since, expires_at";

    private final DataSource dataSource;
    private final String name;

    public JdbcLeaseStore(DataSource dataSource, String name) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public Lease acquireOrRenew(String holder, Duration ttl) {
        Objects.requireNonNull(holder, "holder");
        requirePositive(ttl);
        return inTransaction("acquire or renew lease " + name + " for " + holder, c -> {
            OffsetDateTime now = databaseNow(c);
            OffsetDateTime expires = now.plus(ttl);
            // Renew: the holder's own live term; the epoch stays.
            if (Jdbc.update(c, "UPDATE leases SET renewed_at = ?, expires_at = ?"
                    + " WHERE name = ? AND holder = ? AND expires_at > ?", now, expires, name, holder, now) == 1) {
                return read(c).orElseThrow();
            }
            // Take over a lapsed term, the holder's own included: a holder whose lease lapsed was not
            // the leader for a while, so whatever it started under the old epoch stays fenced off.
            if (Jdbc.update(c, "UPDATE leases SET holder = ?, epoch = epoch + 1, since = ?, renewed_at = ?,"
                    + " expires_at = ? WHERE name = ? AND expires_at <= ?", holder, now, now, expires, name, now) == 1) {
                return read(c).orElseThrow();
            }
            Optional<Lease> other = read(c);
            if (other.isPresent()) {
                return other.get();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO leases"
                    + " (name, holder, epoch, since, renewed_at, expires_at) VALUES (?, ?, 1, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, holder);
                ps.setObject(3, now);
                ps.setObject(4, now);
                ps.setObject(5, expires);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
                // A concurrent first taker got there first: theirs is the lease.
                c.rollback();
            }
            return read(c).orElseThrow();
        });
    }

    @Override
    public Optional<Lease> current() {
        return inTransaction("read lease " + name, JdbcLeaseStore.this::read);
    }

    @Override
    public Optional<Lease> live() {
        return inTransaction("read live lease " + name, c -> {
            OffsetDateTime now = databaseNow(c);
            return read(c).filter(l -> l.expiresAt().isAfter(now.toInstant()));
        });
    }

    @Override
    public void release(String holder) {
        Objects.requireNonNull(holder, "holder");
        inTransaction("release lease " + name + " for " + holder, c -> {
            OffsetDateTime now = databaseNow(c);
            // Ends the term but keeps the row: the epoch must never restart at 1.
            try (PreparedStatement ps = c.prepareStatement("UPDATE leases SET expires_at = ?"
                    + " WHERE name = ? AND holder = ? AND expires_at > ?")) {
                ps.setObject(1, now);
                ps.setString(2, name);
                ps.setString(3, holder);
                ps.setObject(4, now);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public <T> T fenced(Lease lease, FencedWrite<T> write) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(write, "write");
        return inTransaction("fenced write under lease " + lease.name() + " epoch " + lease.epoch(), c -> {
            requireLive(c, lease);
            return write.run(c);
        });
    }

    /**
     * The fence, for a transaction that is about to write: locks the lease row and throws
     * {@link FencedException} unless {@code lease} is its live term (database clock). The row lock is
     * held to the end of the caller's transaction, so a takeover (an UPDATE of that row) waits for the
     * fenced write to commit or roll back, and a fenced write that waited behind a takeover sees the
     * new epoch and is refused.
     */
    static void requireLive(Connection c, Lease lease) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT epoch FROM leases WHERE name = ? AND holder = ?"
                + " AND epoch = ? AND expires_at > CURRENT_TIMESTAMP FOR UPDATE")) {
            ps.setString(1, lease.name());
            ps.setString(2, lease.holder());
            ps.setLong(3, lease.epoch());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new FencedException(lease);
                }
            }
        }
    }

    private Optional<Lease> read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM leases WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Lease(rs.getString("name"), rs.getString("holder"), rs.getLong("epoch"),
                        rs.getObject("since", OffsetDateTime.class).toInstant(),
                        rs.getObject("expires_at", OffsetDateTime.class).toInstant()));
            }
        }
    }

    private static void requirePositive(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
    }

    private <T> T inTransaction(String what, Jdbc.SqlWork<T> work) {
        return Jdbc.inTransaction(dataSource, what, work);
    }
}
