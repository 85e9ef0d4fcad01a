package io.switchguard.check;

import io.switchguard.policy.TargetState;
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
 * The checker's per-target state in the store, so a restart or a FaaS cold start continues where it left off,
 * and a restart inside a cooldown never triggers a second action.
 */
@ApplicationScoped
public class StateStore {

    /** A target's policy state plus what /status shows of the last cycle (JSON of the last decision). */
    public record Saved(TargetState state, Instant lastProbeAt, String lastDecision) {}

    private final DataSource dataSource;

    public StateStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Saved> load(String target) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM target_state WHERE target = ?")) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                TargetState state = new TargetState(rs.getInt("failures"), rs.getInt("lag_breaches"),
                        rs.getInt("successes"), rs.getBoolean("healthy"), rs.getLong("breaches"),
                        Jdbc.getInstant(rs, "last_action_at"), rs.getBoolean("paused"), rs.getString("pause_reason"),
                        Jdbc.getInstant(rs, "paused_at"));
                return Optional.of(new Saved(state, Jdbc.getInstant(rs, "last_probe_at"), rs.getString("last_decision")));
            }
        } catch (SQLException e) {
            throw new StoreException("load state of " + target, e);
        }
    }

    public TargetState state(String target) {
        return load(target).map(Saved::state).orElse(TargetState.initial());
    }

    public void save(String target, Saved saved) {
        TargetState s = saved.state();
        try (Connection c = dataSource.getConnection()) {
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE target_state SET failures = ?, lag_breaches = ?,"
                    + " successes = ?, healthy = ?, breaches = ?, last_action_at = ?, paused = ?, pause_reason = ?,"
                    + " paused_at = ?, last_probe_at = ?, last_decision = ?, updated_at = ? WHERE target = ?")) {
                bind(ps, s, saved);
                ps.setString(13, target);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO target_state (failures, lag_breaches,"
                        + " successes, healthy, breaches, last_action_at, paused, pause_reason, paused_at, last_probe_at,"
                        + " last_decision, updated_at, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    bind(ps, s, saved);
                    ps.setString(13, target);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    // Another writer inserted first: ours is the newer state, write it over.
                    if (!"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                    save(target, saved);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("save state of " + target, e);
        }
    }

    private static void bind(PreparedStatement ps, TargetState s, Saved saved) throws SQLException {
        ps.setInt(1, s.failures());
        ps.setInt(2, s.lagBreaches());
        ps.setInt(3, s.successes());
        ps.setBoolean(4, s.healthy());
        ps.setLong(5, s.breaches());
        Jdbc.setInstant(ps, 6, s.lastActionAt());
        ps.setBoolean(7, s.paused());
        ps.setString(8, s.pauseReason());
        Jdbc.setInstant(ps, 9, s.pausedAt());
        Jdbc.setInstant(ps, 10, saved.lastProbeAt());
        ps.setString(11, saved.lastDecision());
        Jdbc.setInstant(ps, 12, Instant.now());
    }

}
