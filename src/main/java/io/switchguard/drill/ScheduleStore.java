package io.switchguard.drill;

import io.switchguard.store.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Schedules in the store (schema: {@code db/migration/V5__schedule.sql}), the same SQL on H2 and PostgreSQL.
 * Every change of state is a conditional UPDATE on the state it leaves, so of two replicas (or a cancel racing a
 * run) exactly one sees an update count of 1. Claim times are the database's: replicas with skewed clocks agree.
 */
@ApplicationScoped
public class ScheduleStore {

    private final DataSource dataSource;

    public ScheduleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Keeps a new schedule; false when its requestId is taken already (nothing written). */
    public boolean create(Schedule s) {
        return Jdbc.inTransaction(dataSource, "create schedule " + s.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedules (schedule_id, target, run_at, reason,"
                    + " request_id, state, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.id());
                ps.setString(2, s.target());
                Jdbc.setInstant(ps, 3, s.at());
                ps.setString(4, s.reason());
                ps.setString(5, s.requestId());
                ps.setString(6, Schedule.State.PENDING.name());
                Jdbc.setInstant(ps, 7, s.createdAt());
                ps.setString(8, s.createdBy());
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (Jdbc.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    public Optional<Schedule> find(String id) {
        List<Schedule> found = query("SELECT * FROM schedules WHERE schedule_id = ?", id);
        return found.stream().findFirst();
    }

    public Optional<Schedule> findByRequestId(String requestId) {
        return query("SELECT * FROM schedules WHERE request_id = ?", requestId).stream().findFirst();
    }

    /** By time to run, newest first; target null = every target. */
    public List<Schedule> list(String target, int limit) {
        return target == null
                ? query("SELECT * FROM schedules ORDER BY run_at DESC FETCH FIRST " + limit + " ROWS ONLY")
                : query("SELECT * FROM schedules WHERE target = ? ORDER BY run_at DESC FETCH FIRST " + limit
                        + " ROWS ONLY", target);
    }

    /**
     * What a runner should look at now (database clock): pending schedules whose time came, and running ones whose
     * claim is older than {@code staleClaim} (their runner died). Oldest first.
     */
    public List<Schedule> due(Duration staleClaim) {
        return Jdbc.inTransaction(dataSource, "due schedules", c -> {
            OffsetDateTime now = Jdbc.databaseNow(c);
            return read(c, "SELECT * FROM schedules WHERE (state = ? AND run_at <= ?) OR (state = ? AND claimed_at < ?)"
                    + " ORDER BY run_at", Schedule.State.PENDING.name(), now, Schedule.State.RUNNING.name(),
                    now.minus(staleClaim));
        });
    }

    /**
     * Claims a schedule for {@code owner}: a pending one whose time came and that is not older than {@code grace},
     * or a running one whose claim went stale. True for exactly one claimer.
     */
    public boolean claim(String id, String owner, Duration grace, Duration staleClaim) {
        return Jdbc.inTransaction(dataSource, "claim schedule " + id, c -> {
            OffsetDateTime now = Jdbc.databaseNow(c);
            return Jdbc.update(c, "UPDATE schedules SET state = ?, claimed_by = ?, claimed_at = ? WHERE schedule_id = ?"
                    + " AND ((state = ? AND run_at <= ? AND run_at >= ?) OR (state = ? AND claimed_at < ?))",
                    Schedule.State.RUNNING.name(), owner, now, id, Schedule.State.PENDING.name(), now, now.minus(grace),
                    Schedule.State.RUNNING.name(), now.minus(staleClaim)) == 1;
        });
    }

    /** A pending schedule older than {@code grace} becomes MISSED; true if this call moved it. */
    public boolean miss(String id, Duration grace, String why) {
        return Jdbc.inTransaction(dataSource, "miss schedule " + id, c -> {
            OffsetDateTime now = Jdbc.databaseNow(c);
            return Jdbc.update(c, "UPDATE schedules SET state = ?, outcome = ?, finished_at = ? WHERE schedule_id = ?"
                    + " AND state = ? AND run_at < ?", Schedule.State.MISSED.name(), why, now, id,
                    Schedule.State.PENDING.name(), now.minus(grace)) == 1;
        });
    }

    /** The claimer records what its run came to; false when the claim is no longer its own. */
    public boolean finish(String id, String owner, String actionId, String outcome) {
        return Jdbc.inTransaction(dataSource, "finish schedule " + id, c -> {
            OffsetDateTime now = Jdbc.databaseNow(c);
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET state = ?, action_id = ?, outcome = ?,"
                    + " finished_at = ? WHERE schedule_id = ? AND state = ? AND claimed_by = ?")) {
                ps.setString(1, Schedule.State.DONE.name());
                ps.setString(2, actionId);
                ps.setString(3, outcome);
                ps.setObject(4, now);
                ps.setString(5, id);
                ps.setString(6, Schedule.State.RUNNING.name());
                ps.setString(7, owner);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Gives a claim back untouched (the runner lost its lease before the call): the next leader runs it. */
    public void unclaim(String id, String owner) {
        Jdbc.inTransaction(dataSource, "unclaim schedule " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET state = ?, claimed_by = NULL,"
                    + " claimed_at = NULL WHERE schedule_id = ? AND state = ? AND claimed_by = ?")) {
                ps.setString(1, Schedule.State.PENDING.name());
                ps.setString(2, id);
                ps.setString(3, Schedule.State.RUNNING.name());
                ps.setString(4, owner);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Cancels a pending schedule, naming who did; false when it is no longer pending (it ran, is running, or was
     * cancelled).
     */
    public boolean cancel(String id, String why, String by) {
        return Jdbc.inTransaction(dataSource, "cancel schedule " + id, c -> Jdbc.update(c,
                "UPDATE schedules SET state = ?, outcome = ?, finished_at = ?, cancelled_by = ? WHERE schedule_id = ?"
                        + " AND state = ?", Schedule.State.CANCELLED.name(), why, Jdbc.databaseNow(c), by, id,
                Schedule.State.PENDING.name()) == 1);
    }

    private List<Schedule> query(String sql, Object... params) {
        return Jdbc.inTransaction(dataSource, "read schedules", c -> read(c, sql, params));
    }

    private static List<Schedule> read(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<Schedule> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Schedule(rs.getString("schedule_id"), rs.getString("target"),
                            Jdbc.getInstant(rs, "run_at"), rs.getString("reason"), rs.getString("request_id"),
                            Schedule.State.valueOf(rs.getString("state")), Jdbc.getInstant(rs, "created_at"),
                            rs.getString("created_by"), rs.getString("claimed_by"), Jdbc.getInstant(rs, "claimed_at"),
                            rs.getString("action_id"), rs.getString("outcome"), Jdbc.getInstant(rs, "finished_at"),
                            rs.getString("cancelled_by")));
                }
                return out;
            }
        }
    }
}
