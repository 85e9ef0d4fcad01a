package io.switchguard.check;

import io.switchguard.store.Jdbc;
import io.switchguard.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The journal of operator controls that are not switchovers (pause, resume, a pause that ran out, a budget reset):
 * who did what to which target and why, in the shared store, so every replica's /status and the audit agree.
 */
@ApplicationScoped
public class ControlJournal {

    /** Who acted when no operator did: the checker ending an expired pause, for one. */
    public static final String CHECKER = "switchguard";

    /**
     * One control.
     *
     * @param target  null = every target (a fleet-wide control)
     * @param control pause | resume | pause-expired | budget-brake | budget-reset
     * @param by      the API key's label, or {@link #CHECKER}
     */
    public record Control(String id, Instant at, String target, String control, String by, String reason,
            String detail) {}

    private final DataSource dataSource;

    public ControlJournal(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Control record(Instant at, String target, String control, String by, String reason, String detail) {
        Control c = new Control(UUID.randomUUID().toString(), at, target, control, by, reason, detail);
        try (Connection conn = dataSource.getConnection();
                PreparedStatement ps = conn.prepareStatement("INSERT INTO controls (control_id, at, target, control,"
                        + " by_whom, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, c.id());
            Jdbc.setInstant(ps, 2, c.at());
            ps.setString(3, c.target());
            ps.setString(4, c.control());
            ps.setString(5, c.by());
            ps.setString(6, c.reason());
            ps.setString(7, c.detail());
            ps.executeUpdate();
            return c;
        } catch (SQLException e) {
            throw new StoreException("journal control " + control + " of " + target, e);
        }
    }

    /** Newest first; target null = all, fleet-wide controls included. */
    public List<Control> list(String target, int limit) {
        String where = target == null ? "" : " WHERE target = ?";
        try (Connection conn = dataSource.getConnection();
                PreparedStatement ps = conn.prepareStatement("SELECT * FROM controls" + where
                        + " ORDER BY at DESC, control_id")) {
            if (target != null) {
                ps.setString(1, target);
            }
            ps.setMaxRows(limit);
            List<Control> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Control(rs.getString("control_id"), Jdbc.getInstant(rs, "at"), rs.getString("target"),
                            rs.getString("control"), rs.getString("by_whom"), rs.getString("reason"),
                            rs.getString("detail")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("list controls", e);
        }
    }
}
