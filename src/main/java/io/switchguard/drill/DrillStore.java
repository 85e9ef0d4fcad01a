package io.switchguard.drill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchguard.store.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Drills and their reports in the store (schema: {@code db/migration/V5__schedule.sql}), the report as JSON. */
@ApplicationScoped
public class DrillStore {

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public DrillStore(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public void insert(DrillReport r) {
        Jdbc.inTransaction(dataSource, "record drill " + r.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO drills (drill_id, target, state, started_at,"
                    + " finished_at, report) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.id());
                ps.setString(2, r.target());
                ps.setString(3, r.state().name());
                Jdbc.setInstant(ps, 4, r.startedAt());
                Jdbc.setInstant(ps, 5, r.finishedAt());
                ps.setString(6, json(r));
                return ps.executeUpdate();
            }
        });
    }

    public void update(DrillReport r) {
        Jdbc.inTransaction(dataSource, "update drill " + r.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE drills SET state = ?, finished_at = ?, report = ?"
                    + " WHERE drill_id = ?")) {
                ps.setString(1, r.state().name());
                Jdbc.setInstant(ps, 2, r.finishedAt());
                ps.setString(3, json(r));
                ps.setString(4, r.id());
                return ps.executeUpdate();
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

    /** Drills on the target still RUNNING that started after {@code since} (an older one's runner died). */
    public List<DrillReport> running(String target, Instant since) {
        return Jdbc.inTransaction(dataSource, "running drills", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT report FROM drills WHERE target = ? AND state = ?"
                    + " AND started_at > ?")) {
                ps.setString(1, target);
                ps.setString(2, DrillReport.State.RUNNING.name());
                Jdbc.setInstant(ps, 3, since);
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
                try {
                    out.add(mapper.readValue(rs.getString("report"), DrillReport.class));
                } catch (JsonProcessingException e) {
                    throw new SQLException("unreadable drill report: " + e.getOriginalMessage(), e);
                }
            }
            return out;
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
