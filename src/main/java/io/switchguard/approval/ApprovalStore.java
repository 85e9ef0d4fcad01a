package io.switchguard.approval;

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
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Approval requests in the shared store (table approvals), so any replica may answer one. Every change of status
 * is a compare and set on the status it leaves: two approvals, or an approval and the deadline, racing on one
 * request end it once.
 */
@ApplicationScoped
public class ApprovalStore {

    private static final String COLUMNS = "approval_id, target, open_target, episode, action_name, status, diagnosis,"
            + " reason, signals, observed_at, requested_at, deadline, on_timeout, answered_at, answered_by,"
            + " answer_reason, outcome, action_id";

    private final DataSource dataSource;

    public ApprovalStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a new open request; false when the target has an open one already (another replica's, say). */
    public boolean insert(Approval a) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO approvals (" + COLUMNS + ") VALUES"
                        + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.approvalId());
            ps.setString(2, a.target());
            ps.setString(3, a.open() ? a.target() : null);
            ps.setLong(4, a.episode());
            ps.setString(5, a.action());
            ps.setString(6, a.status().name());
            ps.setString(7, a.diagnosis());
            ps.setString(8, a.reason());
            ps.setString(9, a.signals());
            Jdbc.setInstant(ps, 10, a.observedAt());
            Jdbc.setInstant(ps, 11, a.requestedAt());
            Jdbc.setInstant(ps, 12, a.deadline());
            ps.setString(13, a.onTimeout());
            Jdbc.setInstant(ps, 14, a.answeredAt());
            ps.setString(15, a.answeredBy());
            ps.setString(16, a.answerReason());
            ps.setString(17, a.outcome());
            ps.setString(18, a.actionId());
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Jdbc.isUniqueViolation(e)) {
                return false;
            }
            throw new StoreException("record the approval request on " + a.target(), e);
        }
    }

    public Optional<Approval> find(String approvalId) {
        return query("WHERE approval_id = ?", approvalId).stream().findFirst();
    }

    /** The target's open request (PENDING or APPROVING), if any. */
    public Optional<Approval> open(String target) {
        return query("WHERE open_target = ?", target).stream().findFirst();
    }

    /** Every open request, oldest first (/status). */
    public List<Approval> open() {
        return query("WHERE open_target IS NOT NULL ORDER BY requested_at");
    }

    /** The target's requests in one breach episode, newest first. */
    public List<Approval> inEpisode(String target, long episode) {
        return query("WHERE target = ? AND episode = ? ORDER BY requested_at DESC", target, episode);
    }

    /** The target's latest request, open or ended. */
    public Optional<Approval> latest(String target) {
        return query("WHERE target = ? ORDER BY requested_at DESC", target).stream().findFirst();
    }

    /**
     * Moves a request from one status to another if it is still in the first; the request stays open only when the
     * new status is open. False when something else moved it first.
     */
    public boolean move(String approvalId, Approval.Status from, Approval.Status to, Instant at, String by,
            String reason, String outcome, String actionId) {
        return Jdbc.inTransaction(dataSource, "answer approval " + approvalId, c -> {
            // COALESCE keeps who answered and when once APPROVING is finished by the same caller.
            try (PreparedStatement ps = c.prepareStatement("UPDATE approvals SET status = ?, open_target = "
                    + (to.open() ? "target" : "NULL") + ", answered_at = COALESCE(answered_at, ?),"
                    + " answered_by = COALESCE(answered_by, ?), answer_reason = COALESCE(answer_reason, ?),"
                    + " outcome = ?, action_id = ? WHERE approval_id = ? AND status = ?")) {
                ps.setString(1, to.name());
                Jdbc.setInstant(ps, 2, at);
                ps.setString(3, by);
                ps.setString(4, reason);
                ps.setString(5, outcome);
                ps.setString(6, actionId);
                ps.setString(7, approvalId);
                ps.setString(8, from.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private List<Approval> query(String where, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM approvals " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<Approval> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Approval(rs.getString("approval_id"), rs.getString("target"), rs.getLong("episode"),
                            rs.getString("action_name"), Approval.Status.valueOf(rs.getString("status")),
                            rs.getString("diagnosis"), rs.getString("reason"), rs.getString("signals"),
                            Jdbc.getInstant(rs, "observed_at"), Jdbc.getInstant(rs, "requested_at"),
                            Jdbc.getInstant(rs, "deadline"), rs.getString("on_timeout"),
                            Jdbc.getInstant(rs, "answered_at"), rs.getString("answered_by"),
                            rs.getString("answer_reason"), rs.getString("outcome"), rs.getString("action_id")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("read approvals", e);
        }
    }
}
