package io.switchguard.store;

import io.switchguard.store.OutboxEntry.State;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The notification outbox over plain JDBC (schema: {@code db/migration/V2__outbox.sql}), the same SQL on H2
 * and PostgreSQL. An event becomes one row per configured sink; {@link JdbcActionStore} writes them inside the
 * journal's own transaction, {@link #enqueue} in a transaction of its own.
 *
 * <p>Senders on any number of replicas drain it safely:
 * <ul>
 * <li>A row is sent only by the sender that {@link #claim claimed} it: a conditional UPDATE that sets an owner and
 * an expiry (database clock) and succeeds only on a row that is still pending and unclaimed or whose claim
 * lapsed. Of several claimers exactly one sees an update count of 1, on H2 and PostgreSQL alike, without
 * {@code SKIP LOCKED}. A crashed sender's claim expires and the row is sent again: at-least-once.</li>
 * <li>Only the head of a (subject, sink) queue is claimable: a row with an earlier pending row of the same target
 * and sink waits, even while that earlier row sits in backoff, so a target's events reach each sink in order.
 * A DEAD row no longer holds the queue up.</li>
 * <li>A row written while its queue has nothing pending may instead be claimed by its insert, for this process's
 * sender ({@link #handOff}): the same owner and expiry, so the same two rules hold for it.</li>
 * </ul>
 *
 * <p>Times (created, due, claim expiry, finished) are the database's, as for the target locks, so replicas with
 * skewed clocks agree. The event's own {@code time} is kept as given.
 */
public class OutboxStore {

    private static final String COLUMNS = "seq, event_id, sink, event_source, event_type, subject, event_time, payload,"
            + " created_at, state, attempts, next_attempt_at, last_error, finished_at";

    private final DataSource dataSource;
    private final List<String> sinks;
    private final String source;
    private volatile Runnable onEnqueued = () -> {};
    private volatile HandOff handOff;
    /** Commits that left a row to the poll: a sender compares it before and after a send (see {@link #handOff}). */
    private final AtomicLong leftToPoll = new AtomicLong();

    /** This process's sender: rows claimed for it with their insert go to {@code taker} after the commit. */
    private record HandOff(String owner, Duration claimTtl, Consumer<Handed> taker) {}

    /**
     * A row claimed for this process's sender with its insert, and {@link #leftToPoll()} as it was before that
     * insert committed: if it is unchanged after the row was sent, no row of its target can be waiting behind it
     * (one inserted later saw this row pending and was left to the poll).
     */
    public record Handed(OutboxEntry row, long leftToPollBefore) {}

    /**
     * @param sinks the configured sinks (e.g. webhook, smn): an event gets one row for each; none = events are
     *     not kept (nobody would ever receive them)
     * @param source the CloudEvents source written with every event, fixed at enqueue time so that a redelivery
     *     by another replica still carries the same (source, id) pair
     */
    public OutboxStore(DataSource dataSource, List<String> sinks, String source) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.sinks = List.copyOf(sinks);
        this.source = Objects.requireNonNull(source, "source");
        this.sinks.forEach(s -> {
            if (s.isBlank() || s.length() > 16) {
                throw new IllegalArgumentException("sink names are 1 to 16 characters: '" + s + "'");
            }
        });
    }

    public List<String> sinks() {
        return sinks;
    }

    public String source() {
        return source;
    }

    /**
     * Called after every committed enqueue (here or through the journal) that left a row for the poll (all of them
     * unless a sender takes rows through {@link #handOff}), on the committing thread: it must not block. The sender
     * uses it to wake up at once instead of at its next poll.
     */
    public void onEnqueued(Runnable listener) {
        this.onEnqueued = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Hands rows straight to this process's sender (null: stop doing so). A row whose (subject, sink) queue has
     * nothing pending before it is inserted already claimed for {@code owner} until now + {@code claimTtl}, in the
     * transaction that writes it, and given to {@code taker} after the commit: the sender skips the claim (a
     * transaction) and the poll that would find it. The claim is an ordinary one: if this process dies before
     * the row is delivered, the claim lapses and any sender sends it (at-least-once). A row behind a pending one
     * is inserted unclaimed and left to the poll, so a target's events keep their order per sink.
     */
    public synchronized void handOff(String owner, Duration claimTtl, Consumer<Handed> taker) {
        Objects.requireNonNull(owner, "owner");
        Jdbc.requirePositive(claimTtl, "claimTtl");
        handOff = new HandOff(owner, claimTtl, Objects.requireNonNull(taker, "taker"));
    }

    /** Stops handing rows to {@code owner} (a sender that is closing); another owner's hand-off stays. */
    public synchronized void endHandOff(String owner) {
        HandOff now = handOff;
        if (now != null && now.owner().equals(owner)) {
            handOff = null;
        }
    }

    /** How many commits so far left a row to the poll; see {@link Handed}. */
    public long leftToPoll() {
        return leftToPoll.get();
    }

    /** Enqueues an event that has no journal entry (target health from the checker), in its own transaction. */
    public void enqueue(OutboxEvent event) {
        requireEvent(event);
        if (sinks.isEmpty()) {
            return;
        }
        Inserted rows = Jdbc.inTransaction(dataSource, "enqueue event " + event.id(), c -> insert(c, event));
        enqueued(rows);
    }

    /** What {@link #insert} wrote: the rows claimed for this process's sender, and whether any was left unclaimed. */
    public record Inserted(List<Handed> handed, boolean leftToPoll) {
        static final Inserted NONE = new Inserted(List.of(), false);
    }

    /**
     * Inserts the event's rows on the caller's connection and transaction; the caller passes the result to
     * {@link #enqueued} after commit.
     */
    public Inserted insert(Connection c, OutboxEvent event) throws SQLException {
        requireEvent(event);
        if (sinks.isEmpty()) {
            return Inserted.NONE;
        }
        HandOff to = handOff;
        long before = leftToPoll.get();
        OffsetDateTime now = Jdbc.databaseNow(c);
        List<Handed> handed = new ArrayList<>();
        boolean left = false;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (event_id, sink, event_source, event_type,"
                + " subject, event_time, payload, created_at, state, attempts, next_attempt_at, claimed_by,"
                + " claim_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            for (String sink : sinks) {
                boolean hand = to != null && !pendingIn(c, event.subject(), sink);
                ps.setString(1, event.id());
                ps.setString(2, sink);
                ps.setString(3, source);
                ps.setString(4, event.type());
                ps.setString(5, event.subject());
                Jdbc.setInstant(ps, 6, event.time());
                ps.setString(7, event.data());
                ps.setObject(8, now);
                ps.setObject(9, now);
                ps.setString(10, hand ? to.owner() : null);
                ps.setObject(11, hand ? now.plus(to.claimTtl()) : null, Types.TIMESTAMP_WITH_TIMEZONE);
                ps.executeUpdate();
                if (!hand) {
                    left = true;
                    continue;
                }
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    handed.add(new Handed(new OutboxEntry(keys.getLong("seq"), event.id(), sink, source,
                            event.type(), event.subject(), event.time(), event.data(), now.toInstant(), State.PENDING,
                            0, now.toInstant(), null, null), before));
                }
            }
        }
        return new Inserted(List.copyOf(handed), left);
    }

    /** Whether the (subject, sink) queue has a pending row: a new one must wait behind it. */
    private static boolean pendingIn(Connection c, String subject, String sink) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM outbox WHERE subject = ? AND sink = ?"
                + " AND state = 'PENDING' FETCH FIRST 1 ROWS ONLY")) {
            ps.setString(1, subject);
            ps.setString(2, sink);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** After the commit of {@link #insert}: hands its claimed rows to the sender and wakes the poll for the others. */
    public void enqueued(Inserted rows) {
        if (rows.leftToPoll()) {
            leftToPoll.incrementAndGet();
            try {
                onEnqueued.run();
            } catch (RuntimeException e) {
                // A wake-up is an optimisation; the sender's poll finds the rows anyway.
            }
        }
        HandOff to = handOff;
        if (to == null) {
            return; // stopping: the claims are given back by the sender's close, or lapse
        }
        for (Handed row : rows.handed()) {
            try {
                to.taker().accept(row);
            } catch (RuntimeException e) {
                // Stopping: the claim is given back by the sender's close, or lapses; the poll sends the row.
            }
        }
    }

    /**
     * Claims up to {@code limit} due rows for {@code owner} until now + {@code lease}, heads of their (subject,
     * sink) queue only, oldest first, among {@code forSinks}. Returns the rows this owner now holds.
     */
    public List<OutboxEntry> claim(String owner, Duration lease, int limit, List<String> forSinks) {
        Objects.requireNonNull(owner, "owner");
        Jdbc.requirePositive(lease, "lease");
        if (limit < 1 || forSinks.isEmpty()) {
            return List.of();
        }
        return Jdbc.inTransaction(dataSource, "claim outbox rows for " + owner, c -> {
            OffsetDateTime now = Jdbc.databaseNow(c);
            String marks = String.join(", ", Collections.nCopies(forSinks.size(), "?"));
            List<OutboxEntry> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM outbox o"
                    + " WHERE o.state = 'PENDING' AND o.sink IN (" + marks + ") AND o.next_attempt_at <= ?"
                    + " AND (o.claim_expires_at IS NULL OR o.claim_expires_at <= ?)"
                    + " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.subject = o.subject AND p.sink = o.sink"
                    + " AND p.state = 'PENDING' AND p.seq < o.seq)"
                    + " ORDER BY o.seq FETCH FIRST ? ROWS ONLY")) {
                int i = 0;
                for (String sink : forSinks) {
                    ps.setString(++i, sink);
                }
                ps.setObject(++i, now);
                ps.setObject(++i, now);
                // More candidates than wanted: concurrent claimers all see the same oldest rows, and the ones
                // that lose those races still find work further down.
                ps.setInt(++i, limit * 3);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        candidates.add(read(rs));
                    }
                }
            }
            List<OutboxEntry> claimed = new ArrayList<>();
            // Ascending seq on every claimer: row locks are always taken in the same order, so no deadlock.
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET claimed_by = ?, claim_expires_at = ?"
                    + " WHERE seq = ? AND state = 'PENDING' AND (claim_expires_at IS NULL OR claim_expires_at <= ?)")) {
                for (OutboxEntry e : candidates) {
                    if (claimed.size() == limit) {
                        break;
                    }
                    ps.setString(1, owner);
                    ps.setObject(2, now.plus(lease));
                    ps.setLong(3, e.seq());
                    ps.setObject(4, now);
                    if (ps.executeUpdate() == 1) {
                        claimed.add(e);
                    }
                }
            }
            return claimed;
        });
    }

    /** Records a delivery by the claim holder. False when the claim was lost meanwhile (nothing changed). */
    public boolean delivered(OutboxEntry entry, String owner) {
        return Jdbc.inTransaction(dataSource, "mark event " + entry.eventId() + " delivered to " + entry.sink(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET state = 'DELIVERED',"
                    + " attempts = attempts + 1, finished_at = ?, last_error = NULL, claimed_by = NULL,"
                    + " claim_expires_at = NULL WHERE seq = ? AND claimed_by = ? AND state = 'PENDING'")) {
                ps.setObject(1, Jdbc.databaseNow(c));
                ps.setLong(2, entry.seq());
                ps.setString(3, owner);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Records a failed attempt by the claim holder: the row is due again in {@code retryIn}, but never later than
     * its created time + {@code maxAge}, so the last attempt happens at that age; an attempt that fails at or past
     * that age makes it DEAD. Returns the new state, or empty when the claim was lost meanwhile (nothing changed).
     */
    public Optional<State> failed(OutboxEntry entry, String owner, String error, Duration retryIn, Duration maxAge) {
        Objects.requireNonNull(retryIn, "retryIn");
        Jdbc.requirePositive(maxAge, "maxAge");
        return Jdbc.inTransaction(dataSource, "record failed delivery of " + entry.eventId() + " to " + entry.sink(), c -> {
            OffsetDateTime now = Jdbc.databaseNow(c);
            OffsetDateTime deadline = entry.createdAt().atOffset(ZoneOffset.UTC).plus(maxAge);
            boolean dead = !now.isBefore(deadline);
            OffsetDateTime next = now.plus(retryIn);
            if (next.isAfter(deadline)) {
                next = deadline;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET state = ?, attempts = attempts + 1,"
                    + " last_error = ?, next_attempt_at = ?, finished_at = ?, claimed_by = NULL, claim_expires_at = NULL"
                    + " WHERE seq = ? AND claimed_by = ? AND state = 'PENDING'")) {
                ps.setString(1, dead ? State.DEAD.name() : State.PENDING.name());
                ps.setString(2, error);
                ps.setObject(3, dead ? now : next);
                if (dead) {
                    ps.setObject(4, now);
                } else {
                    ps.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
                }
                ps.setLong(5, entry.seq());
                ps.setString(6, owner);
                return ps.executeUpdate() == 1 ? Optional.of(dead ? State.DEAD : State.PENDING) : Optional.empty();
            }
        });
    }

    /**
     * Whether a row of the same (subject, sink) queue before this one is still pending. A row handed to the sender
     * with its insert can be: two transactions that insert into one queue and commit together each see the queue
     * empty (the other's row is not committed yet), and both rows are handed.
     */
    public boolean behind(OutboxEntry row) {
        return Jdbc.inTransaction(dataSource, "look behind outbox row " + row.seq(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM outbox WHERE subject = ? AND sink = ?"
                    + " AND state = 'PENDING' AND seq < ? FETCH FIRST 1 ROWS ONLY")) {
                ps.setString(1, row.subject());
                ps.setString(2, row.sink());
                ps.setLong(3, row.seq());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Gives one claimed row back to the poll (which sends each queue in order), counted as left to poll. */
    public void unclaim(OutboxEntry row, String owner) {
        Jdbc.inTransaction(dataSource, "give back outbox row " + row.seq(), c -> Jdbc.update(c,
                "UPDATE outbox SET claimed_by = NULL, claim_expires_at = NULL WHERE seq = ? AND claimed_by = ?"
                        + " AND state = 'PENDING'", row.seq(), owner));
        leftToPoll.incrementAndGet();
    }

    /** Gives back every claim of an owner that is stopping, so its rows are sent at once by whoever runs next. */
    public int release(String owner) {
        return Jdbc.inTransaction(dataSource, "release outbox claims of " + owner, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET claimed_by = NULL, claim_expires_at = NULL"
                    + " WHERE claimed_by = ? AND state = 'PENDING'")) {
                ps.setString(1, owner);
                return ps.executeUpdate();
            }
        });
    }

    /** Rows per sink and state, every state present for every sink that has rows. */
    public Map<String, Map<State, Long>> counts() {
        return Jdbc.inTransaction(dataSource, "count outbox rows", c -> {
            Map<String, Map<State, Long>> counts = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT sink, state, COUNT(*) FROM outbox GROUP BY sink, state ORDER BY sink, state");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(rs.getString(1), s -> {
                        Map<State, Long> m = new EnumMap<>(State.class);
                        for (State state : State.values()) {
                            m.put(state, 0L);
                        }
                        return m;
                    }).put(State.valueOf(rs.getString(2)), rs.getLong(3));
                }
            }
            return counts;
        });
    }

    /**
     * Pending rows per sink (claimed ones included): what the sender's gauge shows after every poll. Read from the
     * state index, so it costs what is pending, not what the retention keeps (a GROUP BY over the whole outbox on
     * every wake-up was the busiest thread under swap load).
     */
    public Map<String, Long> pending() {
        return Jdbc.inTransaction(dataSource, "count pending outbox rows", c -> {
            Map<String, Long> pending = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT sink, COUNT(*) FROM outbox WHERE state = 'PENDING' GROUP BY sink ORDER BY sink");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.put(rs.getString(1), rs.getLong(2));
                }
            }
            return pending;
        });
    }

    /** Rows in a state, newest first. */
    public List<OutboxEntry> list(State state, int limit) {
        Objects.requireNonNull(state, "state");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return Jdbc.inTransaction(dataSource, "list " + state + " outbox rows", c -> query(c,
                "SELECT " + COLUMNS + " FROM outbox WHERE state = ? ORDER BY seq DESC FETCH FIRST ? ROWS ONLY",
                state.name(), limit));
    }

    /** The rows of one event, one per sink. */
    public List<OutboxEntry> find(String eventId) {
        Objects.requireNonNull(eventId, "eventId");
        return Jdbc.inTransaction(dataSource, "find event " + eventId, c -> query(c,
                "SELECT " + COLUMNS + " FROM outbox WHERE event_id = ? ORDER BY seq", eventId));
    }

    /** Every row of a subject, oldest first. */
    public List<OutboxEntry> forSubject(String subject) {
        Objects.requireNonNull(subject, "subject");
        return Jdbc.inTransaction(dataSource, "list events of " + subject, c -> query(c,
                "SELECT " + COLUMNS + " FROM outbox WHERE subject = ? ORDER BY seq", subject));
    }

    /** Deletes DELIVERED and DEAD rows finished more than {@code olderThan} ago; pending rows are never purged. */
    public int purge(Duration olderThan) {
        Jdbc.requirePositive(olderThan, "olderThan");
        return Jdbc.inTransaction(dataSource, "purge outbox", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM outbox WHERE state IN ('DELIVERED', 'DEAD') AND finished_at < ?")) {
                ps.setObject(1, Jdbc.databaseNow(c).minus(olderThan));
                return ps.executeUpdate();
            }
        });
    }

    private static List<OutboxEntry> query(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<OutboxEntry> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
            return rows;
        }
    }

    private static OutboxEntry read(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getLong("seq"), rs.getString("event_id"), rs.getString("sink"),
                rs.getString("event_source"), rs.getString("event_type"), rs.getString("subject"),
                Jdbc.getInstant(rs, "event_time"), rs.getString("payload"), Jdbc.getInstant(rs, "created_at"),
                State.valueOf(rs.getString("state")), rs.getInt("attempts"), Jdbc.getInstant(rs, "next_attempt_at"),
                rs.getString("last_error"), Jdbc.getInstant(rs, "finished_at"));
    }

    private static void requireEvent(OutboxEvent e) {
        Objects.requireNonNull(e, "event");
        Objects.requireNonNull(e.id(), "event.id");
        Objects.requireNonNull(e.type(), "event.type");
        Objects.requireNonNull(e.subject(), "event.subject");
        Objects.requireNonNull(e.time(), "event.time");
        Objects.requireNonNull(e.data(), "event.data");
    }
}
