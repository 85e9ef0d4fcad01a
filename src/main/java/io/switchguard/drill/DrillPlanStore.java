package io.switchguard.drill;

import io.switchguard.store.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Drill plans in the store ({@code db/migration/V6__drill_plans.sql}). A due plan is claimed by moving its next_at
 * on, conditional on the value read: of several replicas exactly one sees an update count of 1 and runs the drill.
 */
@ApplicationScoped
public class DrillPlanStore {

    private final DataSource dataSource;

    public DrillPlanStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void create(DrillPlan p) {
        Jdbc.inTransaction(dataSource, "create drill plan " + p.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO drill_plans (plan_id, target, cron, hold_millis,"
                    + " check_url, reason, allowed_windows, blocked_windows, blocked_dates, state, next_at, created_at,"
                    + " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, p.id());
                ps.setString(2, p.target());
                ps.setString(3, p.cron());
                ps.setLong(4, p.holdMillis());
                ps.setString(5, p.checkUrl());
                ps.setString(6, p.reason());
                ps.setString(7, String.join("\n", p.allowedWindows()));
                ps.setString(8, String.join("\n", p.blockedWindows()));
                ps.setString(9, String.join("\n", p.blockedDates().stream().map(LocalDate::toString).toList()));
                ps.setString(10, p.state().name());
                Jdbc.setInstant(ps, 11, p.nextAt());
                Jdbc.setInstant(ps, 12, p.createdAt());
                ps.setString(13, p.createdBy());
                return ps.executeUpdate();
            }
        });
    }

    public Optional<DrillPlan> find(String id) {
        return query("SELECT * FROM drill_plans WHERE plan_id = ?", id).stream().findFirst();
    }

    public List<DrillPlan> list(String target) {
        return target == null ? query("SELECT * FROM drill_plans ORDER BY created_at DESC")
                : query("SELECT * FROM drill_plans WHERE target = ? ORDER BY created_at DESC", target);
    }

    /** Active plans whose next time came (the database clock). */
    public List<DrillPlan> due() {
        return Jdbc.inTransaction(dataSource, "due drill plans", c -> read(c.prepareStatement(
                "SELECT * FROM drill_plans WHERE state = 'ACTIVE' AND next_at <= CURRENT_TIMESTAMP ORDER BY next_at")));
    }

    /** Moves a due plan from the next_at it was read with to {@code next}; true for exactly one claimer. */
    public boolean advance(DrillPlan p, Instant next) {
        return Jdbc.inTransaction(dataSource, "advance drill plan " + p.id(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE drill_plans SET next_at = ?, last_at = ?"
                    + " WHERE plan_id = ? AND state = 'ACTIVE' AND next_at = ?")) {
                Jdbc.setInstant(ps, 1, next);
                ps.setObject(2, Jdbc.databaseNow(c));
                ps.setString(3, p.id());
                Jdbc.setInstant(ps, 4, p.nextAt());
                return ps.executeUpdate() == 1;
            }
        });
    }

    public void ran(String id, String drillId) {
        Jdbc.inTransaction(dataSource, "drill plan ran " + id, c -> Jdbc.update(c,
                "UPDATE drill_plans SET last_drill_id = ? WHERE plan_id = ?", drillId, id));
    }

    /** Cancels an active plan, naming who did; false when it was cancelled already. */
    public boolean cancel(String id, String by) {
        return Jdbc.inTransaction(dataSource, "cancel drill plan " + id, c -> Jdbc.update(c,
                "UPDATE drill_plans SET state = 'CANCELLED', cancelled_by = ? WHERE plan_id = ? AND state = 'ACTIVE'",
                by, id) == 1);
    }

    private List<DrillPlan> query(String sql, String... params) {
        return Jdbc.inTransaction(dataSource, "read drill plans", c -> {
            PreparedStatement ps = c.prepareStatement(sql);
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            return read(ps);
        });
    }

    private static List<DrillPlan> read(PreparedStatement ps) throws SQLException {
        try (ps; ResultSet rs = ps.executeQuery()) {
            List<DrillPlan> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new DrillPlan(rs.getString("plan_id"), rs.getString("target"), rs.getString("cron"),
                        rs.getLong("hold_millis"), rs.getString("check_url"), rs.getString("reason"),
                        lines(rs.getString("allowed_windows")), lines(rs.getString("blocked_windows")),
                        lines(rs.getString("blocked_dates")).stream().map(LocalDate::parse).toList(),
                        DrillPlan.State.valueOf(rs.getString("state")), Jdbc.getInstant(rs, "next_at"),
                        Jdbc.getInstant(rs, "created_at"), rs.getString("created_by"),
                        Jdbc.getInstant(rs, "last_at"), rs.getString("last_drill_id"), rs.getString("cancelled_by")));
            }
            return out;
        }
    }

    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }
}
