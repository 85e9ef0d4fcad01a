package io.switchguard.check;

import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.notify.Events;
import io.switchguard.policy.Budget;
import io.switchguard.policy.Decision;
import io.switchguard.policy.Verdict;
import io.switchguard.store.Jdbc;
import io.switchguard.store.OutboxStore;
import io.switchguard.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The failover budgets in the shared store, fleet-wide and per group of targets. Each automatic switchover takes a
 * unit before its call, counted and taken in one transaction ({@link #take}), so every replica (and a new leader)
 * sees the same number and two replicas on different shards never both take the last unit. Each brake is one row
 * that only an operator's journaled reset clears. A group's brake holds back that group's automatic actions only.
 */
@ApplicationScoped
public class FailoverBudget {

    private static final Logger LOG = Logger.getLogger(FailoverBudget.class);
    private static final String FLEET = "fleet";

    /** The last reset, for /status. */
    public record Reset(Instant at, String by, String reason) {}

    /**
     * What a take came to: the unit taken (null when a budget refused), and the budgets that apply as they were
     * counted under the lock, before this unit.
     */
    public record Take(String unit, List<Budget> budgets) {
        public boolean taken() {
            return unit != null;
        }
    }

    private final DataSource dataSource;
    private final SwitchguardConfig.FailoverBudget config;
    private final Targets targets;
    private final ControlJournal controls;
    private final OutboxStore outbox;
    private final Events events;
    /** Group rows are made on first use: groups come from configuration, not from a migration. */
    private final AtomicBoolean groupRows = new AtomicBoolean();

    public FailoverBudget(DataSource dataSource, SwitchguardConfig config, Targets targets, ControlJournal controls,
            OutboxStore outbox, Events events) {
        this.dataSource = dataSource;
        this.config = config.budget();
        this.targets = targets;
        this.controls = controls;
        this.outbox = outbox;
        this.events = events;
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** The configured groups' names, sorted. */
    public List<String> groups() {
        return config.groups().keySet().stream().sorted().toList();
    }

    /**
     * The fleet-wide budget now: units taken by automatic switchovers (refused ones and dry runs gave theirs back)
     * within the window and since the last reset, on any target, in flight included.
     */
    public Budget read(Instant now) {
        return Jdbc.inTransaction(dataSource, "read the failover budget", c -> fleet(c, now));
    }

    /** The budgets that apply to the target, the fleet's first, then its group's when it has one. */
    public List<Budget> read(Instant now, Target target) {
        return Jdbc.inTransaction(dataSource, "read the failover budget", c -> applying(c, now, target));
    }

    /** One group's budget, counted over the targets in the group; empty when no such group is configured. */
    public Optional<Budget> readGroup(String group, Instant now) {
        return Jdbc.inTransaction(dataSource, "read the failover budget", c -> group(c, group, now));
    }

    /**
     * Counts and, if every budget that applies to the target has room, takes a unit for its automatic switchover,
     * in one transaction. Takes lock the fleet's row first, so on every replica they run one at a time and each
     * counts the units taken before it: of two replicas racing for the last unit, one gets it.
     */
    public Take take(Instant now, Target target) {
        return Jdbc.inTransaction(dataSource, "take a unit of the failover budget", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT scope FROM failover_budget WHERE scope = ?"
                    + " FOR UPDATE")) {
                ps.setString(1, FLEET);
                ps.executeQuery().close();
            }
            List<Budget> budgets = applying(c, now, target);
            if (Budget.refusing(budgets).isPresent()) {
                return new Take(null, budgets);
            }
            String unit = UUID.randomUUID().toString();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO budget_units (unit_id, target, taken_at)"
                    + " VALUES (?, ?, ?)")) {
                ps.setString(1, unit);
                ps.setString(2, target.name());
                Jdbc.setInstant(ps, 3, now);
                ps.executeUpdate();
            }
            return new Take(unit, budgets);
        });
    }

    /** Gives a unit back: its switchover was refused or only a dry run, so it was no attempt. */
    public void release(String unit) {
        Jdbc.inTransaction(dataSource, "give back a unit of the failover budget", c -> Jdbc.update(c,
                "DELETE FROM budget_units WHERE unit_id = ?", unit));
    }

    private List<Budget> applying(Connection c, Instant now, Target target) throws SQLException {
        List<Budget> out = new ArrayList<>();
        out.add(fleet(c, now));
        if (target.group() != null) {
            group(c, target.group(), now).ifPresent(out::add);
        }
        return out;
    }

    private Budget fleet(Connection c, Instant now) throws SQLException {
        return read(c, null, config.maxAutomatic(), config.window(), now, null);
    }

    private Optional<Budget> group(Connection c, String group, Instant now) throws SQLException {
        SwitchguardConfig.BudgetGroup g = config.groups().get(group);
        if (g == null) {
            return Optional.empty();
        }
        List<String> members = targets.all().stream().filter(t -> group.equals(t.group())).map(Target::name).toList();
        return Optional.of(read(c, group, g.maxAutomatic().orElse(config.maxAutomatic()), g.window().orElse(
                config.window()), now, members));
    }

    private Budget read(Connection c, String group, int max, Duration window, Instant now, List<String> members)
            throws SQLException {
        Row row = row(c, scope(group));
        Instant since = now.minus(window);
        if (row.resetAt() != null && row.resetAt().isAfter(since)) {
            since = row.resetAt();
        }
        int used = members != null && members.isEmpty() ? 0 : countTaken(c, since, members);
        return new Budget(group, max, window, used, row.brakedAt(), row.brakeReason());
    }

    public Optional<Reset> lastReset(String group) {
        Row row = Jdbc.inTransaction(dataSource, "read the failover budget", c -> row(c, scope(group)));
        return row.resetAt() == null ? Optional.empty() : Optional.of(new Reset(row.resetAt(), row.resetBy(),
                row.resetReason()));
    }

    /**
     * After the policy's decision on budgets as a take counted them: when a budget refused because it
     * is spent (not braked yet), brake it (once, whichever replica gets there first), journal and notify.
     */
    public void brakeIfSpent(Instant now, Target target, List<Budget> read, Decision decision) {
        if (decision.verdict() != Verdict.REJECTED || !"budget".equals(decision.guard())) {
            return;
        }
        Optional<Budget> spent = Budget.refusing(read).filter(b -> !b.braked());
        if (spent.isEmpty() || !brake(spent.get().group(), now, decision.reason())) {
            return;
        }
        Budget b = spent.get();
        controls.record(now, null, "budget-brake", ControlJournal.CHECKER, decision.reason(), "on " + target.name()
                + (b.group() == null ? "" : " in group " + b.group()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("target", target.name());
        data.put("group", b.group());
        data.put("reason", decision.reason());
        data.put("used", b.used());
        data.put("max", b.max());
        data.put("window", b.window());
        outbox.enqueue(events.forTarget(Events.BUDGET_BRAKED, target.name(), data));
        LOG.warnf("budget braked %s on target=%s: %s", b.scope(), target.name(), decision.reason());
    }

    /** Brakes automatic action in the scope; false when it was braked already (by this or another replica). */
    boolean brake(String group, Instant at, String reason) {
        return Jdbc.inTransaction(dataSource, "brake the failover budget", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE failover_budget SET braked_at = ?, brake_reason = ?,"
                    + " updated_at = ? WHERE scope = ? AND braked_at IS NULL")) {
                Jdbc.setInstant(ps, 1, at);
                ps.setString(2, reason);
                Jdbc.setInstant(ps, 3, at);
                ps.setString(4, scope(group));
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * An operator releases a brake (the fleet's, or one group's): automatic action in that scope may resume, and its
     * budget counts afresh from now (attempts before a reset never brake again). Journaled with who and why, and
     * notified.
     *
     * @param group null = the fleet-wide budget
     * @return when it had been braked, or empty if it was not
     */
    public Optional<Instant> reset(String group, Instant at, String by, String reason) {
        Optional<Instant> braked = Jdbc.inTransaction(dataSource, "reset the failover budget", c -> {
            Instant was;
            try (PreparedStatement ps = c.prepareStatement("SELECT braked_at FROM failover_budget WHERE scope = ?"
                    + " FOR UPDATE")) {
                ps.setString(1, scope(group));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    was = Jdbc.getInstant(rs, "braked_at");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE failover_budget SET braked_at = NULL,"
                    + " brake_reason = NULL, reset_at = ?, reset_by = ?, reset_reason = ?, updated_at = ?"
                    + " WHERE scope = ?")) {
                Jdbc.setInstant(ps, 1, at);
                ps.setString(2, by);
                ps.setString(3, reason);
                Jdbc.setInstant(ps, 4, at);
                ps.setString(5, scope(group));
                ps.executeUpdate();
            }
            return Optional.ofNullable(was);
        });
        String detail = (group == null ? "fleet-wide" : "group " + group) + ": " + braked.map(b -> "braked since " + b)
                .orElse("was not braked");
        controls.record(at, null, "budget-reset", by, reason, detail);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("group", group);
        data.put("by", by);
        data.put("reason", reason);
        data.put("brakedSince", braked.map(Instant::toString).orElse(""));
        outbox.enqueue(events.forTarget(Events.BUDGET_RESET, "budget", data));
        LOG.warnf("budget reset %s by=%s reason=%s braked-since=%s", group == null ? "fleet-wide" : "group=" + group,
                by, reason, braked.orElse(null));
        return braked;
    }

    private String scope(String group) {
        if (group == null) {
            return FLEET;
        }
        if (groupRows.compareAndSet(false, true)) {
            config.groups().keySet().forEach(this::ensureRow);
        }
        return "group:" + group;
    }

    /** A group's row, made once by whichever replica is first; a concurrent insert by another is fine. */
    private void ensureRow(String group) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO failover_budget (scope, updated_at)"
                        + " VALUES (?, CURRENT_TIMESTAMP)")) {
            ps.setString(1, "group:" + group);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (!Jdbc.isUniqueViolation(e)) {
                groupRows.set(false);
                throw new StoreException("create the budget row of group " + group, e);
            }
        }
    }

    private record Row(Instant brakedAt, String brakeReason, Instant resetAt, String resetBy, String resetReason) {}

    private Row row(Connection c, String scope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM failover_budget WHERE scope = ?")) {
            ps.setString(1, scope);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Row(null, null, null, null, null);
                }
                return new Row(Jdbc.getInstant(rs, "braked_at"), rs.getString("brake_reason"),
                        Jdbc.getInstant(rs, "reset_at"), rs.getString("reset_by"), rs.getString("reset_reason"));
            }
        }
    }

    /** The units taken since then; members = the group's targets, null = every target. */
    private static int countTaken(Connection c, Instant since, List<String> members) throws SQLException {
        String only = members == null ? "" : " AND target IN (" + String.join(", ", Collections.nCopies(
                members.size(), "?")) + ")";
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM budget_units WHERE taken_at >= ?"
                + only)) {
            Jdbc.setInstant(ps, 1, since);
            for (int i = 0; members != null && i < members.size(); i++) {
                ps.setString(i + 2, members.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
