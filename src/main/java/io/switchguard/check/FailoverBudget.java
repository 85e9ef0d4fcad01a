package io.switchguard.check;

import io.switchguard.config.SwitchguardConfig;
import io.switchguard.policy.Budget;
import io.switchguard.store.Jdbc;
import io.switchguard.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The fleet-wide failover budget in the shared store: attempts are counted from the journal, so every replica (and
 * a new leader) sees the same number, and the brake is one row that only an operator's reset clears.
 */
@ApplicationScoped
public class FailoverBudget {

    private static final String FLEET = "fleet";

    /** The last reset, for /status. */
    public record Reset(Instant at, String by, String reason) {}

    private final DataSource dataSource;
    private final SwitchguardConfig.FailoverBudget config;

    public FailoverBudget(DataSource dataSource, SwitchguardConfig config) {
        this.dataSource = dataSource;
        this.config = config.budget();
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * The budget now: automatic switchover attempts journaled (not refused, not dry runs) within the window and since
     * the last reset, on any target, in flight included (an entry is journaled before its cloud call).
     */
    public Budget read(Instant now) {
        Row row = row();
        Instant since = now.minus(config.window());
        if (row.resetAt() != null && row.resetAt().isAfter(since)) {
            since = row.resetAt();
        }
        return new Budget(config.maxAutomatic(), config.window(), countAutomatic(since), row.brakedAt(),
                row.brakeReason());
    }

    public Optional<Reset> lastReset() {
        Row row = row();
        return row.resetAt() == null ? Optional.empty() : Optional.of(new Reset(row.resetAt(), row.resetBy(),
                row.resetReason()));
    }

    /** Brakes automatic action; false when it was braked already (by this or another replica). */
    public boolean brake(Instant at, String reason) {
        return Jdbc.inTransaction(dataSource, "brake the failover budget", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE failover_budget SET braked_at = ?, brake_reason = ?,"
                    + " updated_at = ? WHERE scope = ? AND braked_at IS NULL")) {
                Jdbc.setInstant(ps, 1, at);
                ps.setString(2, reason);
                Jdbc.setInstant(ps, 3, at);
                ps.setString(4, FLEET);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * Releases the brake and starts counting afresh from now: attempts before a reset never brake again.
     *
     * @return when it had been braked, or empty if it was not
     */
    public Optional<Instant> reset(Instant at, String by, String reason) {
        return Jdbc.inTransaction(dataSource, "reset the failover budget", c -> {
            Instant was;
            try (PreparedStatement ps = c.prepareStatement("SELECT braked_at FROM failover_budget WHERE scope = ?"
                    + " FOR UPDATE")) {
                ps.setString(1, FLEET);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    was = Jdbc.getInstant(rs, "braked_at");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE failover_budget SET braked_at = NULL,"
                    + " brake_reason = NULL, reset_at = ?, reset_by = ?, reset_reason = ?, updated_at = ?"
                    + " WHERE scope = ?")) {
                Jdbc.setInstant(ps, 1, at);
                ps.setString(2, by);
                ps.setString(3, reason);
                Jdbc.setInstant(ps, 4, at);
                ps.setString(5, FLEET);
                ps.executeUpdate();
            }
            return Optional.ofNullable(was);
        });
    }

    private record Row(Instant brakedAt, String brakeReason, Instant resetAt, String resetBy, String resetReason) {}

    private Row row() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM failover_budget WHERE scope = ?")) {
            ps.setString(1, FLEET);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Row(null, null, null, null, null);
                }
                return new Row(Jdbc.getInstant(rs, "braked_at"), rs.getString("brake_reason"),
                        Jdbc.getInstant(rs, "reset_at"), rs.getString("reset_by"), rs.getString("reset_reason"));
            }
        } catch (SQLException e) {
            throw new StoreException("read the failover budget", e);
        }
    }

    /** The journal's automatic attempts: every one that reached it, whatever its outcome, but refusals and dry runs. */
    private int countAutomatic(Instant since) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM actions WHERE trigger_name = 'auto'"
                        + " AND dry_run = FALSE AND status NOT IN ('REJECTED', 'DRY_RUN') AND started_at >= ?")) {
            Jdbc.setInstant(ps, 1, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException("count automatic switchovers", e);
        }
    }
}
