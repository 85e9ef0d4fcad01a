package io.switchguard.drill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.store.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Drills and their reports in the store (schema: {@code db/migration/V5__schedule.sql}, runner and touched_at:
 * {@code V15__drill_runner.sql}), the report as JSON. A RUNNING row's runner touches it while it runs (database clock);
 * one untouched for longer than the stale-claim was left by a runner that died.
 */
@ApplicationScoped
public class DrillStore {

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public DrillStore(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /** A RUNNING drill whose runner went quiet: its report as last written, who ran it, when it was last heard of. */
    public record Abandoned(DrillReport report, String runner, Instant lastSeen) {}

    /** Keeps a new drill, run by {@code runner} (an instance id; null for one that ends here, a BLOCKED drill). */
    public void insert(DrillReport r, String runner) {
        Jdbc.inTransaction(dataSource, "record drill " + r.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO drills (drill_id, target, state, started_at,"
                    + " finished_at, report, runner, touched_at) VALUES (?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.target());
                ps.setString(3, r.state().name());
                Jdbc.setInstant(ps, 4, r.startedAt());
                Jdbc.setInstant(ps, 5, r.finishedAt());
                ps.setString(6, json(r));
                ps.setString(7, runner);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The runner's write of its report; false when the row is no longer RUNNING (the leader ended it as abandoned
     * while its runner was stalled: that outcome, already notified, stands).
     */
    public boolean update(DrillReport r) {
        return Jdbc.inTransaction(dataSource, "update drill " + r.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE drills SET state = ?, finished_at = ?, report = ?,"
                    + " touched_at = CURRENT_TIMESTAMP WHERE drill_id = ? AND state = ?")) {
                ps.setString(1, r.state().name());
                Jdbc.setInstant(ps, 2, r.finishedAt());
                ps.setString(3, json(r));
                ps.setString(4, r.id());
                ps.setString(5, DrillReport.State.RUNNING.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** The runner's sign of life for its RUNNING drills. */
    public void touch(Collection<String> ids) {
        Jdbc.inTransaction(dataSource, "touch drills", c -> {
            for (String id : ids) {
                Jdbc.update(c, "UPDATE drills SET touched_at = CURRENT_TIMESTAMP WHERE drill_id = ? AND state = ?", id,
                        DrillReport.State.RUNNING.name());
            }
            return null;
        });
    }

    /** RUNNING drills not heard of for longer than {@code stale} (database clock), oldest first. */
    public List<Abandoned> abandoned(Duration stale) {
        return Jdbc.inTransaction(dataSource, "abandoned drills", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT report, runner, COALESCE(touched_at, started_at)"
                    + " AS seen FROM drills WHERE state = ? AND COALESCE(touched_at, started_at) < ? ORDER BY seen")) {
                ps.setString(1, DrillReport.State.RUNNING.name());
                ps.setObject(2, Jdbc.databaseNow(c).minus(stale));
                try (ResultSet rs = ps.executeQuery()) {
                    List<Abandoned> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new Abandoned(report(rs.getString("report")), rs.getString("runner"),
                                Jdbc.getInstant(rs, "seen")));
                    }
                    return out;
                }
            }
        });
    }

    /**
     * Ends an abandoned drill with {@code r} if it is still RUNNING and still not heard of for {@code stale}: true
     * for exactly one of several leaders, and never for a runner that came back meanwhile.
     */
    public boolean endAbandoned(DrillReport r, Duration stale) {
        return Jdbc.inTransaction(dataSource, "end abandoned drill " + r.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE drills SET state = ?, finished_at = ?, report = ?"
                    + " WHERE drill_id = ? AND state = ? AND COALESCE(touched_at, started_at) < ?")) {
                ps.setString(1, r.state().name());
                Jdbc.setInstant(ps, 2, r.finishedAt());
                ps.setString(3, json(r));
                ps.setString(4, r.id());
                ps.setString(5, DrillReport.State.RUNNING.name());
                ps.setObject(6, Jdbc.databaseNow(c).minus(stale));
                return ps.executeUpdate() == 1;
            }
        });
    }

    public Optional<DrillReport> find(String id) {
        return query("SELECT report FROM drills WHERE drill_id = ?", id).stream().findFirst();
    }

    /** Newest first; target null = every target. */
    public List<DrillReport> list(String target, int limit) {
        return target == null
                ? query("SELECT report FROM drills ORDER BY started_at DESC FETCH FIRST " + limit + " ROWS ONLY")
                : query("SELECT report FROM drills WHERE target = ? ORDER BY started_at DESC FETCH FIRST " + limit
                        + " ROWS ONLY", target);
    }

    /** Drills on the target still RUNNING whose runner was heard of within {@code stale} (the others are ending). */
    public List<DrillReport> running(String target, Duration stale) {
        return Jdbc.inTransaction(dataSource, "running drills", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT report FROM drills WHERE target = ? AND state = ?"
                    + " AND COALESCE(touched_at, started_at) >= ?")) {
                ps.setString(1, target);
                ps.setString(2, DrillReport.State.RUNNING.name());
                ps.setObject(3, Jdbc.databaseNow(c).minus(stale));
                return read(ps);
            }
        });
    }

    private List<DrillReport> query(String sql, String... params) {
        return Jdbc.inTransaction(dataSource, "read drills", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setString(i + 1, params[i]);
                }
                return read(ps);
            }
        });
    }

    private List<DrillReport> read(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<DrillReport> out = new ArrayList<>();
            while (rs.next()) {
                out.add(report(rs.getString("report")));
            }
            return out;
        }
    }

    private DrillReport report(String json) throws SQLException {
        try {
            return mapper.readValue(json, DrillReport.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable drill report: " + e.getOriginalMessage(), e);
        }
    }

    private String json(DrillReport r) {
        try {
            return mapper.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize drill report " + r.id(), e);
        }
    }
}
