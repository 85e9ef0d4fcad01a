package io.switchguard.store;

import static io.switchguard.store.Jdbc.databaseNow;
import static io.switchguard.store.Jdbc.getInstant;
import static io.switchguard.store.Jdbc.isUniqueViolation;
import static io.switchguard.store.Jdbc.setInstant;

import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * {@link ActionStore} over plain JDBC (schema: {@code db/migration/V1__journal.sql}). The same SQL runs
 * on H2 and PostgreSQL. Every method is one short transaction on a connection borrowed for that call
 * only. Instants are stored to the microsecond (finer parts are truncated).
 *
 * <p>The event given to {@link #begin(Action, OutboxEvent)} and {@link #update(Action, OutboxEvent)} is written
 * to the {@link OutboxStore} in the same transaction as the journal change: both are committed, or neither.
 *
 * <p>The switchover lock is not re-entrant: while it is live, {@link #tryLock} answers false to
 * every caller, its own owner included, so two threads of one instance sharing an owner name still
 * cannot both proceed. The holder keeps it with {@link #extendLock} and gives it back with
 * {@link #unlock}; a crashed holder's lock simply expires.
 */
public class JdbcActionStore implements ActionStore {

    private static final Logger LOG = Logger.getLogger(JdbcActionStore.class);

    /** An entry's outcome, parameters set by {@link #setOutcome}; a caller may add conditions to its WHERE. */
    private static final String UPDATE_OUTCOME = "UPDATE actions SET status = ?, verification = ?, detail = ?,"
            + " finished_at = ?, has_cloud = ?, cloud_http_status = ?, cloud_error_code = ?, cloud_error_msg = ?,"
            + " cloud_request_id = ?, error_code = ?, error_msg = ? WHERE action_id = ?";

    private static final String INSERT_STEP =
            "INSERT INTO action_steps (action_id, seq, logged_at, name, detail) VALUES (?, ?, ?, ?, ?)";

    private static final String ACTION_COLUMNS = "action_id, target, kind, action_name, trigger_name, status,"
            + " verification, reason, detail, request_id, forced, dry_run, started_at, finished_at,"
            + " has_cloud, cloud_http_status, cloud_error_code, cloud_error_msg, cloud_request_id, error_code, error_msg";

    private final DataSource dataSource;
    private final OutboxStore outbox;
    /** This process, named on every lock it takes (/status shows whether the holder is still live). */
    private final String holder;
    /** Whether the store is an H2 file (see {@link #durable}); null until the first transaction reads the URL. */
    private volatile Boolean h2File;
    /** Commits that asked to be written to the file, numbered; the last number a checkpoint covered. */
    private final AtomicLong durableRequests = new AtomicLong();
    private final Object checkpointLock = new Object();
    // guarded by checkpointLock
    private long checkpointed;

    /** A journal whose events go nowhere: no sink is configured. */
    public JdbcActionStore(DataSource dataSource) {
        this(dataSource, new OutboxStore(dataSource, List.of(), "/switchguard"));
    }

    /** A journal that writes the events of begin/update into {@code outbox}, in the journal's own transaction. */
    public JdbcActionStore(DataSource dataSource, OutboxStore outbox) {
        this(dataSource, outbox, "this-process");
    }

    /** As above; {@code holder} names this process (its instance id) on the locks it takes. */
    public JdbcActionStore(DataSource dataSource, OutboxStore outbox, String holder) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.holder = Objects.requireNonNull(holder, "holder");
    }

    @Override
    public void begin(Action action, OutboxEvent event) {
        requireJournalable(action);
        OutboxStore.Inserted rows = inTransaction("begin action " + action.actionId() + " on " + action.target(), c -> {
            try {
                insertRow(c, action);
            } catch (SQLException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
                c.rollback();
                // The requestId is the only unique key a caller can legitimately collide on; a repeated
                // actionId is a bug and must not pass for "already done, here is the first result".
                if (action.requestId() != null && findAction(c, action.actionId()).isEmpty()) {
                    throw new DuplicateRequestIdException(action.requestId());
                }
                throw new StoreException("actionId already journaled: " + action.actionId(), e);
            }
            insertSteps(c, action.actionId(), 1, action.steps() == null ? List.of() : action.steps());
            return event != null ? outbox.insert(c, event) : OutboxStore.Inserted.NONE;
        });
        outbox.enqueued(rows);
    }

    @Override
    public void update(Action action, OutboxEvent event) {
        requireJournalable(action);
        OutboxStore.Inserted rows = inTransaction("update action " + action.actionId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_OUTCOME)) {
                setOutcome(ps, action);
                if (ps.executeUpdate() == 0) {
                    // Thrown inside the transaction: no event may outlive a journal change that did not happen.
                    throw new IllegalArgumentException("no journaled action " + action.actionId() + " to update");
                }
            }
            return event != null ? outbox.insert(c, event) : OutboxStore.Inserted.NONE;
        });
        outbox.enqueued(rows);
    }

    @Override
    public Opened open(Action action, Duration lockTtl, Lease fence, Duration decidedAgo) {
        requireJournalable(action);
        requirePositive(lockTtl);
        return inTransaction("open action " + action.actionId() + " on " + action.target(), c -> {
            if (fenced(c, fence)) {
                c.rollback();
                return Opened.FENCED;
            }
            if (!lock(c, action.target(), action.actionId(), holder, lockTtl)) {
                c.rollback();
                return Opened.LOCKED;
            }
            if (decidedAgo != null && rolesMayHaveChangedSince(c, action.target(), decidedAgo)) {
                c.rollback();
                return Opened.SUPERSEDED;
            }
            if (calledAndUnread(c, action.target())) {
                c.rollback();
                return Opened.UNREAD;
            }
            try {
                insertRow(c, action);
            } catch (SQLException e) {
                if (!isUniqueViolation(e) || action.requestId() == null) {
                    throw e;
                }
                c.rollback();
                return Opened.DUPLICATE;
            }
            insertSteps(c, action.actionId(), 1, action.steps() == null ? List.of() : action.steps());
            return Opened.STARTED;
        });
    }

    /**
     * An unfinished action on the target whose call may have gone out (its fence wrote the call line) and whose lock
     * lapsed (the caller's lock was taken above): its process died or lost its store before it read the outcome.
     * Until reconciliation reads it, nobody knows the roles: a second toggle may undo the first, and the first,
     * judged afterwards, would report the second's effect as its own. One that never reached its call sent nothing.
     */
    private static boolean calledAndUnread(Connection c, String target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM actions a WHERE a.finished_at IS NULL"
                + " AND a.target = ? AND EXISTS (SELECT 1 FROM action_steps s WHERE s.action_id = a.action_id"
                + " AND s.name = 'call') FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, target);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Whether an operator paused the target (a pause not past its end): the checker decided on a state read before,
     * and the roles read before the call may have taken two read timeouts since.
     */
    private static boolean paused(Connection c, String target, OffsetDateTime now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM target_state WHERE target = ? AND paused = TRUE"
                + " AND (paused_until IS NULL OR paused_until > ?)")) {
            ps.setString(1, target);
            ps.setObject(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Whether the fence (null for an action no leader term stands behind) no longer holds; the caller rolls back. */
    private static boolean fenced(Connection c, Lease fence) throws SQLException {
        if (fence == null) {
            return false;
        }
        try {
            JdbcLeaseStore.requireLive(c, fence);
            return false;
        } catch (FencedException e) {
            return true;
        }
    }

    /**
     * An action on the target, journaled since the decision, whose outcome may include a role change. Both sides are
     * the database's clock: the decision was {@code decidedAgo} before now, and journaled_at is the database's at each
     * insert. started_at would be each journaling replica's own clock: an operator's swap on a replica whose clock ran
     * behind looked older than the decision it came after, and the automatic action toggled it back (FenceTest).
     */
    private static boolean rolesMayHaveChangedSince(Connection c, String target, Duration decidedAgo)
            throws SQLException {
        OffsetDateTime since = databaseNow(c).minus(decidedAgo.isNegative() ? Duration.ZERO : decidedAgo);
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM actions WHERE target = ? AND journaled_at > ?"
                + " AND status IN ('SUCCEEDED', 'SUBMITTED', 'UNKNOWN') FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, target);
            ps.setObject(2, since);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public Held beforeCall(String target, String owner, Duration lockTtl, Lease fence, String actionId,
            List<Action.Step> steps) {
        requirePositive(lockTtl);
        Held held = inTransaction("fence the call of action " + actionId, c -> {
            OffsetDateTime now = databaseNow(c);
            // Held by this process too: a reconciler that took a lapsed lock over keeps the action as its owner,
            // and a caller that thawed after that must not find the lock "still its own" and call.
            if (Jdbc.update(c, "UPDATE target_locks SET expires_at = ? WHERE target = ? AND owner = ? AND holder = ?"
                    + " AND expires_at > ?", now.plus(lockTtl), target, owner, holder, now) != 1) {
                c.rollback();
                return Held.LOCK_LOST;
            }
            if (fenced(c, fence)) {
                c.rollback();
                return Held.FENCED;
            }
            if (fence != null && paused(c, target, now)) {
                c.rollback();
                return Held.PAUSED;
            }
            appendSteps(c, actionId, steps);
            return Held.HELD;
        });
        if (held == Held.HELD) {
            durable("fence the call of action " + actionId);
        }
        return held;
    }

    @Override
    public boolean record(Action next, ActionStatus fromStatus, Verification fromVerification,
            List<Action.Step> steps, OutboxEvent event) {
        requireJournalable(next);
        OutboxStore.Inserted rows = inTransaction("record action " + next.actionId(), c -> {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_OUTCOME
                    + " AND status = ? AND verification = ? AND finished_at IS NULL")) {
                setOutcome(ps, next);
                ps.setString(13, fromStatus.name());
                ps.setString(14, fromVerification.name());
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    return null;
                }
            }
            appendSteps(c, next.actionId(), steps);
            OutboxStore.Inserted inserted = event != null ? outbox.insert(c, event) : OutboxStore.Inserted.NONE;
            if (next.finishedAt() != null) {
                // The outcome gives the lock back, in its own transaction: no window where the entry has ended
                // and the target still looks busy, or the lock is free and the entry still open.
                Jdbc.update(c, "DELETE FROM target_locks WHERE target = ? AND owner = ?", next.target(),
                        next.actionId());
            }
            return inserted;
        });
        if (rows == null) {
            return false;
        }
        if (next.finishedAt() != null) {
            durable("record the outcome of action " + next.actionId());
        }
        outbox.enqueued(rows);
        return true;
    }

    @Override
    public List<Action> unfinished() {
        return inTransaction("list unfinished actions", c -> queryActions(c, "SELECT " + ACTION_COLUMNS
                + " FROM actions WHERE finished_at IS NULL ORDER BY started_at, action_id"));
    }

    @Override
    public List<Lock> locks() {
        return inTransaction("list switchover locks", c -> {
            List<Lock> locks = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT target, owner, holder, acquired_at, expires_at"
                    + " FROM target_locks WHERE expires_at > ? ORDER BY target")) {
                ps.setObject(1, databaseNow(c));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        locks.add(new Lock(rs.getString(1), rs.getString(2), rs.getString(3),
                                getInstant(rs, "acquired_at"), getInstant(rs, "expires_at")));
                    }
                }
            }
            return locks;
        });
    }

    /** Appends after the entry's last line; the caller's transaction holds the action row (insert or update). */
    private static void appendSteps(Connection c, String actionId, List<Action.Step> steps) throws SQLException {
        if (steps.isEmpty()) {
            return;
        }
        insertSteps(c, actionId, lastSeq(c, actionId) + 1, steps);
    }

    /** The lines as one batch, numbered from {@code first}. */
    private static void insertSteps(Connection c, String actionId, int first, List<Action.Step> steps)
            throws SQLException {
        if (steps.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_STEP)) {
            int seq = first;
            for (Action.Step step : steps) {
                requireStep(step);
                setStep(ps, actionId, seq++, step);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The entry's last line number, 0 before its first. */
    private static int lastSeq(Connection c, String actionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) FROM action_steps WHERE action_id = ?")) {
            ps.setString(1, actionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public void step(String actionId, Action.Step step) {
        Objects.requireNonNull(actionId, "actionId");
        requireStep(step);
        inTransaction("append step '" + step.name() + "' to action " + actionId, c -> {
            // Locking the action row serialises appenders of one action (and nobody else), so
            // max(seq) + 1 cannot be taken twice; the primary key (action_id, seq) backs that up.
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT action_id FROM actions WHERE action_id = ? FOR UPDATE")) {
                ps.setString(1, actionId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no journaled action " + actionId + " to append to");
                    }
                }
            }
            appendSteps(c, actionId, List.of(step));
            return null;
        });
    }

    @Override
    public Optional<Action> find(String actionId) {
        Objects.requireNonNull(actionId, "actionId");
        return inTransaction("find action " + actionId, c -> findAction(c, actionId));
    }

    @Override
    public Optional<Action> findByRequestId(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        return inTransaction("find action by requestId " + requestId, c -> {
            List<Action> found = queryActions(c,
                    "SELECT " + ACTION_COLUMNS + " FROM actions WHERE request_id = ?", requestId);
            return found.stream().findFirst();
        });
    }

    @Override
    public List<Action> list(String target, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return inTransaction("list actions" + (target == null ? "" : " of " + target), c -> {
            String order = " ORDER BY started_at DESC, action_id DESC FETCH FIRST ? ROWS ONLY";
            return target == null
                    ? queryActions(c, "SELECT " + ACTION_COLUMNS + " FROM actions" + order, limit)
                    : queryActions(c, "SELECT " + ACTION_COLUMNS + " FROM actions WHERE target = ?" + order,
                            target, limit);
        });
    }

    @Override
    public Optional<Switched> lastSwitchover(String target) {
        return inTransaction("find the last switchover of " + target, c -> {
            String id;
            OffsetDateTime journaled;
            try (PreparedStatement ps = c.prepareStatement("SELECT action_id, journaled_at FROM actions WHERE target = ?"
                    + " AND dry_run = FALSE AND status IN ('SUCCEEDED', 'SUBMITTED', 'UNKNOWN')"
                    + " ORDER BY journaled_at DESC, action_id DESC FETCH FIRST 1 ROWS ONLY")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Switched>empty();
                    }
                    id = rs.getString(1);
                    journaled = rs.getObject(2, OffsetDateTime.class);
                }
            }
            Duration ago = Duration.between(journaled, databaseNow(c));
            return findAction(c, id).map(a -> new Switched(a, ago.isNegative() ? Duration.ZERO : ago));
        });
    }

    /*
     * The lock's clock is the database's: "now" is read with SELECT CURRENT_TIMESTAMP in the same
     * transaction that writes or compares expires_at, and the arithmetic now + ttl is done on that
     * value in Java. Replicas with skewed clocks therefore agree, and no vendor interval syntax is
     * needed (H2 and PostgreSQL disagree on interval arithmetic, both agree on comparing timestamps).
     * Atomicity comes from the database too: the primary key lets only one INSERT through, and an
     * UPDATE ... WHERE expires_at < now re-checks its condition on the row it locked, so of several
     * takers of an expired lock exactly one sees an update count of 1.
     */

    @Override
    public boolean tryLock(String target, String owner, Duration ttl) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(owner, "owner");
        requirePositive(ttl);
        return inTransaction("lock " + target + " for " + owner, c -> lock(c, target, owner, holder, ttl));
    }

    /** Takes the lock in the caller's transaction; false (the transaction rolled back) when it is held. */
    private static boolean lock(Connection c, String target, String owner, String holder, Duration ttl)
            throws SQLException {
        OffsetDateTime now = databaseNow(c);
        OffsetDateTime expires = now.plus(ttl);
        if (Jdbc.update(c, "UPDATE target_locks SET owner = ?, holder = ?, acquired_at = ?, expires_at = ?"
                + " WHERE target = ? AND expires_at < ?", owner, holder, now, expires, target, now) == 1) {
            return true;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO target_locks (target, owner, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, target);
            ps.setString(2, owner);
            ps.setString(3, holder);
            ps.setObject(4, now);
            ps.setObject(5, expires);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            // A live lock, or a concurrent taker that got there first.
            c.rollback();
            return false;
        }
    }

    @Override
    public boolean extendLock(String target, String owner, Duration ttl) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(owner, "owner");
        requirePositive(ttl);
        // An owner may also revive its own lapsed lock: nobody else took it meanwhile, or the owner and holder
        // columns would name them (a reconciler takes an action over under the same owner, as another holder).
        int updated = inTransaction("extend lock of " + target + " for " + owner, c -> {
            OffsetDateTime expires = databaseNow(c).plus(ttl);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE target_locks SET expires_at = ? WHERE target = ? AND owner = ? AND holder = ?")) {
                ps.setObject(1, expires);
                ps.setString(2, target);
                ps.setString(3, owner);
                ps.setString(4, holder);
                return ps.executeUpdate();
            }
        });
        if (updated == 0) {
            LOG.warnf("Lock of %s not extended: %s does not hold it", target, owner);
        }
        return updated > 0;
    }

    @Override
    public void unlock(String target, String owner) {
        delete(target, owner, holder);
    }

    @Override
    public void release(String target, String owner) {
        delete(target, owner, null);
    }

    /** The lock of {@code owner}, held by {@code holder} (null: by any process). */
    private void delete(String target, String owner, String holder) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(owner, "owner");
        int deleted = inTransaction("unlock " + target + " for " + owner, c -> Jdbc.update(c,
                "DELETE FROM target_locks WHERE target = ? AND owner = ?" + (holder == null ? "" : " AND holder = ?"),
                holder == null ? new Object[] {target, owner} : new Object[] {target, owner, holder}));
        if (deleted == 0) {
            LOG.debugf("Lock of %s not released: %s does not hold it", target, owner);
        }
    }

    // --- reading ---

    private Optional<Action> findAction(Connection c, String actionId) throws SQLException {
        return queryActions(c, "SELECT " + ACTION_COLUMNS + " FROM actions WHERE action_id = ?", actionId)
                .stream().findFirst();
    }

    /** Runs an action query and attaches every action's steps, in seq order, with one more query. */
    private List<Action> queryActions(Connection c, String sql, Object... params) throws SQLException {
        Map<String, Action> byId = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Action a = readAction(rs);
                    byId.put(a.actionId(), a);
                }
            }
        }
        if (byId.isEmpty()) {
            return List.of();
        }
        Map<String, List<Action.Step>> steps = new LinkedHashMap<>();
        byId.keySet().forEach(id -> steps.put(id, new ArrayList<>()));
        String marks = String.join(", ", Collections.nCopies(byId.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT action_id, logged_at, name, detail"
                + " FROM action_steps WHERE action_id IN (" + marks + ") ORDER BY action_id, seq")) {
            int i = 0;
            for (String id : byId.keySet()) {
                ps.setString(++i, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.get(rs.getString(1)).add(
                            new Action.Step(getInstant(rs, "logged_at"), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return byId.values().stream().map(a -> a.withSteps(List.copyOf(steps.get(a.actionId())))).toList();
    }

    private static Action readAction(ResultSet rs) throws SQLException {
        Action.Cloud cloud = rs.getBoolean("has_cloud")
                ? new Action.Cloud(rs.getObject("cloud_http_status", Integer.class), rs.getString("cloud_error_code"),
                        rs.getString("cloud_error_msg"), rs.getString("cloud_request_id"))
                : null;
        return new Action(
                rs.getString("action_id"),
                rs.getString("target"),
                rs.getString("kind"),
                rs.getString("action_name"),
                rs.getString("trigger_name"),
                ActionStatus.valueOf(rs.getString("status")),
                Verification.valueOf(rs.getString("verification")),
                rs.getString("reason"),
                rs.getString("detail"),
                rs.getString("request_id"),
                rs.getBoolean("forced"),
                rs.getBoolean("dry_run"),
                getInstant(rs, "started_at"),
                getInstant(rs, "finished_at"),
                cloud,
                rs.getString("error_code"),
                rs.getString("error_msg"),
                List.of());
    }

    // --- writing ---

    private static void insertRow(Connection c, Action action) throws SQLException {
        // journaled_at: the database's clock, which every replica shares (rolesMayHaveChangedSince).
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO actions (" + ACTION_COLUMNS + ", journaled_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
            ps.setString(1, action.actionId());
            ps.setString(2, action.target());
            ps.setString(3, action.kind());
            ps.setString(4, action.action());
            ps.setString(5, action.trigger());
            ps.setString(6, action.status().name());
            ps.setString(7, action.verification().name());
            ps.setString(8, action.reason());
            ps.setString(9, action.detail());
            ps.setString(10, action.requestId());
            ps.setBoolean(11, action.forced());
            ps.setBoolean(12, action.dryRun());
            setInstant(ps, 13, action.startedAt());
            setInstant(ps, 14, action.finishedAt());
            setCloud(ps, 15, action.cloud());
            ps.setString(20, action.errorCode());
            ps.setString(21, action.errorMsg());
            ps.executeUpdate();
        }
    }

    private static void setStep(PreparedStatement ps, String actionId, int seq, Action.Step step)
            throws SQLException {
        ps.setString(1, actionId);
        ps.setInt(2, seq);
        setInstant(ps, 3, step.at());
        ps.setString(4, step.name());
        ps.setString(5, step.detail());
    }

    /** Sets has_cloud and the four cloud columns from index {@code first} on. */
    /** Parameters 1 to 12 of {@link #UPDATE_OUTCOME}. */
    private static void setOutcome(PreparedStatement ps, Action a) throws SQLException {
        ps.setString(1, a.status().name());
        ps.setString(2, a.verification().name());
        ps.setString(3, a.detail());
        setInstant(ps, 4, a.finishedAt());
        setCloud(ps, 5, a.cloud());
        ps.setString(10, a.errorCode());
        ps.setString(11, a.errorMsg());
        ps.setString(12, a.actionId());
    }

    private static void setCloud(PreparedStatement ps, int first, Action.Cloud cloud) throws SQLException {
        ps.setBoolean(first, cloud != null);
        if (cloud == null || cloud.httpStatus() == null) {
            ps.setNull(first + 1, Types.INTEGER);
        } else {
            ps.setInt(first + 1, cloud.httpStatus());
        }
        ps.setString(first + 2, cloud == null ? null : cloud.errorCode());
        ps.setString(first + 3, cloud == null ? null : cloud.errorMsg());
        ps.setString(first + 4, cloud == null ? null : cloud.requestId());
    }

    private static void requireJournalable(Action a) {
        Objects.requireNonNull(a, "action");
        Objects.requireNonNull(a.actionId(), "actionId");
        Objects.requireNonNull(a.target(), "target");
        Objects.requireNonNull(a.kind(), "kind");
        Objects.requireNonNull(a.action(), "action");
        Objects.requireNonNull(a.trigger(), "trigger");
        Objects.requireNonNull(a.status(), "status");
        Objects.requireNonNull(a.verification(), "verification");
        Objects.requireNonNull(a.startedAt(), "startedAt");
        if (a.steps() != null) {
            a.steps().forEach(JdbcActionStore::requireStep);
        }
    }

    private static void requireStep(Action.Step step) {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(step.at(), "step.at");
        Objects.requireNonNull(step.name(), "step.name");
    }

    private static void requirePositive(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
    }

    /**
     * Makes what this thread has committed survive the process being killed. PostgreSQL's commit already is
     * durable; H2 keeps commits in memory until its background writer stores them (WRITE_DELAY, 500 ms), and a swap
     * answered just before a kill left no trace at all (PackagedStoreIT): no entry, no lock, the roles traded. So on
     * an H2 file two writes reach the file before they take effect: the fence, before the cloud is called (with it
     * the entry, its lock and the state before); and an outcome, before the caller or its event hears of it and the
     * lock is free. An answer in between (SUBMITTED, PENDING) may be lost with the process: the durable entry and
     * lock from the fence make reconciliation read the cloud's state and finish it, as after any crash mid-call.
     * A CHECKPOINT writes every commit before it, so callers that wait here while one runs share the next one.
     * (WRITE_DELAY 0 would write every commit of every writer, lease renewals and check state included: three times
     * slower commits and 14 KB of file a commit within H2's 45 s chunk retention.) H2 does not fsync on commit: a
     * machine crash needs the PostgreSQL store.
     */
    private void durable(String what) {
        if (!Boolean.TRUE.equals(h2File)) {
            return;
        }
        long mine = durableRequests.incrementAndGet();
        synchronized (checkpointLock) {
            if (checkpointed >= mine) {
                return; // a checkpoint that began after this commit has written it
            }
            long upTo = durableRequests.get();
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CHECKPOINT");
            } catch (SQLException e) {
                throw new StoreException(what + ": committed but not written to the file: " + e.getMessage(), e);
            }
            checkpointed = upTo;
        }
    }

    private <T> T inTransaction(String what, Jdbc.SqlWork<T> work) {
        return Jdbc.inTransaction(dataSource, what, c -> {
            if (h2File == null) {
                // Which database, read once on a connection borrowed anyway.
                String url = c.getMetaData().getURL();
                h2File = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:");
            }
            return work.run(c);
        });
    }
}
