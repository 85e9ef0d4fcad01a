package io.switchguard.check;

import io.switchguard.config.SwitchguardConfig;
import io.switchguard.policy.Pause;
import io.switchguard.policy.TargetState;
import io.switchguard.store.Jdbc;
import io.switchguard.store.StoreDatabase;
import io.switchguard.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The checker's per-target state in the store, so a restart or a FaaS cold start continues where it left off,
 * and a restart inside a cooldown never triggers a second action.
 *
 * <p>On a store only this process writes (an H2 file or in-memory database, {@link StoreDatabase#inProcess}), a
 * decision batch reads each row from the store once and then from memory until a write here changes it: reading
 * every batch's rows was 28 % of the checker's sampled CPU at 10,000 targets a second (issue #13). On a store that
 * replicas share every batch reads its rows, since another replica's pause or shard takeover writes them.
 */
@ApplicationScoped
public class StateStore {

    /** A target's policy state plus what /status shows of the last cycle (JSON of the last decision). */
    public record Saved(TargetState state, Instant lastProbeAt, String lastDecision) {}

    /** Most targets a batch read names in SELECT ... IN (...): well under every driver's parameter limit. */
    private static final int CHUNK = 500;
    private static final String CHECK_FIELDS = "UPDATE target_state SET failures = ?, lag_breaches = ?, successes = ?,"
            + " healthy = ?, breaches = ?, last_action_at = ?, last_probe_at = ?, last_decision = ?, updated_at = ?"
            + " WHERE target = ?";

    /** A row known to be absent. */
    private static final Saved NO_ROW = new Saved(TargetState.initial(), null, null);

    private final DataSource dataSource;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong rowsRead = new AtomicLong();
    /** The rows as last read, when only this process writes the store; null otherwise. */
    private final Map<String, Saved> known;
    /**
     * Counts writes: a batch read caches what it read only if no write began meanwhile, so a row read before a
     * write commits is never kept after the write has forgotten it.
     */
    private final AtomicLong writes = new AtomicLong();

    @Inject
    public StateStore(DataSource dataSource, SwitchguardConfig config) {
        this(dataSource, StoreDatabase.inProcess(config.store().url()));
    }

    /**
     * soleWriter: only this process writes the store, so a row once read is kept in memory until this process
     * writes it; otherwise (replicas may share the store) every batch reads its rows.
     */
    public StateStore(DataSource dataSource, boolean soleWriter) {
        this.dataSource = dataSource;
        this.known = soleWriter ? new ConcurrentHashMap<>() : null;
    }

    public Optional<Saved> load(String target) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM target_state WHERE target = ?")) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(saved(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("load state of " + target, e);
        }
    }

    /**
     * The rows of many targets; a target without a row is absent. Up to {@value #CHUNK} are read by name; more are
     * read with one pass over the table, keeping the ones asked for: both databases check every row an IN list
     * returns against the whole list, which made a 10,000-target tick cost 20 reads of 500 x 500 comparisons where
     * the table's one pass takes a millisecond (issue #13).
     */
    public Map<String, Saved> loadAll(Collection<String> targets) {
        if (known == null) {
            return read(targets);
        }
        Map<String, Saved> out = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String target : targets) {
            Saved saved = known.get(target);
            if (saved == null) {
                unknown.add(target);
            } else if (saved != NO_ROW) {
                out.put(target, saved);
            }
        }
        if (unknown.isEmpty()) {
            return out;
        }
        long before = writes.get();
        Map<String, Saved> read = read(unknown);
        out.putAll(read);
        if (writes.get() == before) {
            unknown.forEach(t -> known.put(t, read.getOrDefault(t, NO_ROW)));
        }
        return out;
    }

    private Map<String, Saved> read(Collection<String> targets) {
        Map<String, Saved> out = new HashMap<>();
        if (targets.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection()) {
            if (targets.size() > CHUNK) {
                java.util.Set<String> wanted = new java.util.HashSet<>(targets);
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM target_state");
                        ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String target = rs.getString("target");
                        if (wanted.contains(target)) {
                            rowsRead.incrementAndGet();
                            out.put(target, saved(rs));
                        }
                    }
                }
                return out;
            }
            String marks = String.join(", ", java.util.Collections.nCopies(targets.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM target_state WHERE target IN (" + marks + ")")) {
                int i = 0;
                for (String target : targets) {
                    ps.setString(++i, target);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rowsRead.incrementAndGet();
                        out.put(rs.getString("target"), saved(rs));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("load the state of " + targets.size() + " targets", e);
        }
    }

    /**
     * The checker's fields of many targets in one transaction (a tick's changes), never the pause: as
     * {@link #saveCheck}, row by row. Nothing to write, no transaction.
     */
    public void saveChecks(Map<String, Saved> changed) {
        if (changed.isEmpty()) {
            return;
        }
        try {
            saveChecksNow(changed);
        } finally {
            forget(changed.keySet());
        }
        batches.incrementAndGet();
        rows.addAndGet(changed.size());
    }

    private void saveChecksNow(Map<String, Saved> changed) {
        Jdbc.inTransaction(dataSource, "save the state of " + changed.size() + " targets", c -> {
            List<String> missing = new ArrayList<>();
            List<String> names = List.copyOf(changed.keySet());
            try (PreparedStatement ps = c.prepareStatement(CHECK_FIELDS)) {
                for (String target : names) {
                    bindCheck(ps, changed.get(target));
                    ps.setString(10, target);
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        missing.add(names.get(i));
                    }
                }
            }
            for (String target : missing) {
                Saved saved = changed.get(target);
                Saved row = new Saved(saved.state().resumed(), saved.lastProbeAt(), saved.lastDecision());
                Savepoint before = c.setSavepoint();
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    bind(ps, row.state(), row);
                    ps.setString(16, target);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    // Another writer (a /pause) inserted first: update its row, our fields only.
                    if (!"23505".equals(e.getSQLState())) {
                        throw e;
                    }
                    c.rollback(before);
                    try (PreparedStatement ps = c.prepareStatement(CHECK_FIELDS)) {
                        bindCheck(ps, saved);
                        ps.setString(10, target);
                        ps.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    /** After a write, committed or not: the next read of these rows goes to the store (see {@link #writes}). */
    private void forget(Collection<String> targets) {
        if (known != null) {
            writes.incrementAndGet();
            targets.forEach(known::remove);
        }
    }

    /** Rows a decision batch has read from the store: on a store only this process writes, each row once a write. */
    public long rowsRead() {
        return rowsRead.get();
    }

    /** Checker state transactions and rows written by this process: what a steady fleet should not grow. */
    public long writeTransactions() {
        return batches.get();
    }

    public long rowsWritten() {
        return rows.get();
    }

    private static Saved saved(ResultSet rs) throws SQLException {
                Pause pause = null;
                if (rs.getBoolean("paused")) {
                    Instant at = Jdbc.getInstant(rs, "paused_at");
                    String by = rs.getString("paused_by");
                    pause = new Pause(by != null ? by : TargetState.UNKNOWN_OWNER, rs.getString("pause_reason"),
                            at != null ? at : Instant.EPOCH, Jdbc.getInstant(rs, "paused_until"),
                            Jdbc.getInstant(rs, "pause_reminded_at"));
                }
                TargetState state = new TargetState(rs.getInt("failures"), rs.getInt("lag_breaches"),
                        rs.getInt("successes"), rs.getBoolean("healthy"), rs.getLong("breaches"),
                        Jdbc.getInstant(rs, "last_action_at"), pause);
                return new Saved(state, Jdbc.getInstant(rs, "last_probe_at"), rs.getString("last_decision"));
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
                + " last_decision = ?, updated_at = ?, paused_by = ?, paused_until = ?, pause_reminded_at = ?"
                + " WHERE target = ?", ps -> bind(ps, s, saved), 16, saved);
    }

    /**
     * The checker's fields only (streaks, health, last action, last probe and decision), never the pause: a
     * /pause served by another replica while the leader decided on the row it loaded holds (issue #10 item 7).
     */
    public void saveCheck(String target, Saved saved) {
        upsert(target, CHECK_FIELDS, ps -> bindCheck(ps, saved), 10,
                new Saved(saved.state().resumed(), saved.lastProbeAt(), saved.lastDecision()));
        batches.incrementAndGet();
        rows.incrementAndGet();
    }

    private static void bindCheck(PreparedStatement ps, Saved saved) throws SQLException {
        bindStreaks(ps, saved.state());
        Jdbc.setInstant(ps, 7, saved.lastProbeAt());
        ps.setString(8, saved.lastDecision());
        Jdbc.setInstant(ps, 9, Instant.now());
    }

    /**
     * The pause fields only: the checker's concurrent saves never undo a pause or a resume, nor it theirs.
     *
     * @param pause the new pause (a fresh reminder period), or null to resume
     */
    public void setPause(String target, Pause pause) {
        TargetState initial = TargetState.initial();
        upsert(target, "UPDATE target_state SET paused = ?, pause_reason = ?, paused_at = ?, paused_by = ?,"
                + " paused_until = ?, pause_reminded_at = ?, updated_at = ? WHERE target = ?", ps -> {
                    ps.setBoolean(1, pause != null);
                    ps.setString(2, pause != null ? pause.reason() : null);
                    Jdbc.setInstant(ps, 3, pause != null ? pause.at() : null);
                    ps.setString(4, pause != null ? pause.by() : null);
                    Jdbc.setInstant(ps, 5, pause != null ? pause.until() : null);
                    Jdbc.setInstant(ps, 6, null);
                    Jdbc.setInstant(ps, 7, Instant.now());
                }, 8, new Saved(pause != null ? initial.paused(pause) : initial, null, null));
    }

    /**
     * Ends the pause that started at {@code pausedAt}, if it is still the one in force: a compare and set, so a pause
     * an operator set again meanwhile is not ended, and of two replicas only one journals the end.
     */
    public boolean endPause(String target, Instant pausedAt) {
        return pauseUpdate(target, pausedAt, "paused = FALSE, pause_reason = NULL, paused_at = NULL, paused_by = NULL,"
                + " paused_until = NULL, pause_reminded_at = NULL", null);
    }

    /** Records a reminder for the pause that started at {@code pausedAt}; false if it is no longer in force. */
    public boolean markReminded(String target, Instant pausedAt, Instant at) {
        return pauseUpdate(target, pausedAt, "pause_reminded_at = ?", at);
    }

    private boolean pauseUpdate(String target, Instant pausedAt, String set, Instant value) {
        try {
            return pauseUpdateNow(target, pausedAt, set, value);
        } finally {
            forget(List.of(target));
        }
    }

    private boolean pauseUpdateNow(String target, Instant pausedAt, String set, Instant value) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE target_state SET " + set + ", updated_at = ?"
                        + " WHERE target = ? AND paused = TRUE AND paused_at = ?")) {
            int i = 1;
            if (value != null) {
                Jdbc.setInstant(ps, i++, value);
            }
            Jdbc.setInstant(ps, i++, Instant.now());
            ps.setString(i++, target);
            Jdbc.setInstant(ps, i, pausedAt);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("update the pause of " + target, e);
        }
    }

    private static final String INSERT = "INSERT INTO target_state (failures, lag_breaches, successes, healthy,"
            + " breaches, last_action_at, paused, pause_reason, paused_at, last_probe_at, last_decision, updated_at,"
            + " paused_by, paused_until, pause_reminded_at, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private interface Values {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Updates the given fields; a target without a row gets one, whose other fields are taken from ifMissing. */
    private void upsert(String target, String update, Values values, int targetParameter, Saved ifMissing) {
        try {
            upsertNow(target, update, values, targetParameter, ifMissing);
        } finally {
            forget(List.of(target));
        }
    }

    private void upsertNow(String target, String update, Values values, int targetParameter, Saved ifMissing) {
        try (Connection c = dataSource.getConnection()) {
            for (int attempt = 0; ; attempt++) {
                try (PreparedStatement ps = c.prepareStatement(update)) {
                    values.bind(ps);
                    ps.setString(targetParameter, target);
                    if (ps.executeUpdate() > 0) {
                        return;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    bind(ps, ifMissing.state(), ifMissing);
                    ps.setString(16, target);
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

    /** Parameters 1 to 6, the same in every statement that writes the checker's fields. */
    private static void bindStreaks(PreparedStatement ps, TargetState s) throws SQLException {
        ps.setInt(1, s.failures());
        ps.setInt(2, s.lagBreaches());
        ps.setInt(3, s.successes());
        ps.setBoolean(4, s.healthy());
        ps.setLong(5, s.breaches());
        Jdbc.setInstant(ps, 6, s.lastActionAt());
    }

    private static void bind(PreparedStatement ps, TargetState s, Saved saved) throws SQLException {
        bindStreaks(ps, s);
        ps.setBoolean(7, s.paused());
        ps.setString(8, s.pauseReason());
        Jdbc.setInstant(ps, 9, s.pausedAt());
        Jdbc.setInstant(ps, 10, saved.lastProbeAt());
        ps.setString(11, saved.lastDecision());
        Jdbc.setInstant(ps, 12, Instant.now());
        Pause p = s.pause();
        ps.setString(13, p != null ? p.by() : null);
        Jdbc.setInstant(ps, 14, p != null ? p.until() : null);
        Jdbc.setInstant(ps, 15, p != null ? p.remindedAt() : null);
    }

}
