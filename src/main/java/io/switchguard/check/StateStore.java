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

    /**
     * Replaces the whole row: a reset to a known state (tests). The checker and the pause functions never use it,
     * since each writes only its own fields (see {@link #saveCheck} and {@link #setPause}).
     */
    public void save(String target, Saved saved) {
        TargetState s = saved.state();
        upsert(target, "UPDATE target_state SET failures = ?, lag_breaches = ?, successes = ?, healthy = ?,"
                + " breaches = ?, last_action_at = ?, paused = ?, pause_reason = ?, paused_at = ?, last_probe_at = ?,"
                + " last_decision = ?, updated_at = ? WHERE target = ?", ps -> bind(ps, s, saved), 13, saved);
    }

    /**
     * The checker's fields only (streaks, health, last action, last probe and decision), never the pause: a
     * /pause served by another replica while the leader decided on the row it loaded holds (issue #10 item 7).
     */
    public void saveCheck(String target, Saved saved) {
        TargetState s = saved.state();
        upsert(target, "UPDATE target_state SET failures = ?, lag_breaches = ?, successes = ?, healthy = ?,"
                + " breaches = ?, last_action_at = ?, last_probe_at = ?, last_decision = ?, updated_at = ?"
                + " WHERE target = ?", ps -> {
                    ps.setInt(1, s.failures());
                    ps.setInt(2, s.lagBreaches());
                    ps.setInt(3, s.successes());
                    ps.setBoolean(4, s.healthy());
                    ps.setLong(5, s.breaches());
                    Jdbc.setInstant(ps, 6, s.lastActionAt());
                    Jdbc.setInstant(ps, 7, saved.lastProbeAt());
                    ps.setString(8, saved.lastDecision());
                    Jdbc.setInstant(ps, 9, Instant.now());
                }, 10, new Saved(s.resumed(), saved.lastProbeAt(), saved.lastDecision()));
    }

    /** The pause fields only: the checker's concurrent saves never undo a pause or a resume, nor it theirs. */
    public void setPause(String target, boolean paused, String reason, Instant at) {
        TargetState initial = TargetState.initial();
        upsert(target, "UPDATE target_state SET paused = ?, pause_reason = ?, paused_at = ?, updated_at = ?"
                + " WHERE target = ?", ps -> {
                    ps.setBoolean(1, paused);
                    ps.setString(2, paused ? reason : null);
                    Jdbc.setInstant(ps, 3, paused ? at : null);
                    Jdbc.setInstant(ps, 4, Instant.now());
                }, 5, new Saved(paused ? initial.paused(reason, at) : initial, null, null));
    }

    private interface Values {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Updates the given fields; a target without a row gets one, whose other fields are taken from ifMissing. */
    private void upsert(String target, String update, Values values, int targetParameter, Saved ifMissing) {
        try (Connection c = dataSource.getConnection()) {
            for (int attempt = 0; ; attempt++) {
                try (PreparedStatement ps = c.prepareStatement(update)) {
                    values.bind(ps);
                    ps.setString(targetParameter, target);
                    if (ps.executeUpdate() > 0) {
                        return;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO target_state (failures, lag_breaches,"
                        + " successes, healthy, breaches, last_action_at, paused, pause_reason, paused_at, last_probe_at,"
                        + " last_decision, updated_at, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    bind(ps, ifMissing.state(), ifMissing);
                    ps.setString(13, target);
                    ps.executeUpdate();
                    return;
                } catch (SQLException e) {
                    // Another writer inserted first: update its row, our fields only.
                    if (!"23505".equals(e.getSQLState()) || attempt > 0) {
                        throw e;
                    }
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
