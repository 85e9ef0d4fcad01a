package io.switchguard.store;

import static io.switchguard.store.JdbcActionStoreContract.T0;
import static io.switchguard.store.JdbcActionStoreContract.race;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.approval.Approval;
import io.switchguard.approval.ApprovalStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database behind {@link ApprovalStore} must do (V10): one open request per target however many
 * replicas ask at once, and an answer that ends a request once however many race for it. A subclass per database.
 */
abstract class ApprovalStoreContract {

    private DataSource dataSource;
    ApprovalStore store;

    protected abstract DataSource openDataSource() throws SQLException;

    protected abstract void closeDataSource(DataSource dataSource) throws SQLException;

    @BeforeEach
    void start() throws SQLException {
        dataSource = openDataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        store = new ApprovalStore(dataSource);
    }

    @AfterEach
    void stop() throws SQLException {
        closeDataSource(dataSource);
    }

    /** A request asked episode minutes after T0. */
    static Approval pending(String target, long episode) {
        Instant at = T0.plus(Duration.ofMinutes(episode));
        return new Approval(UUID.randomUUID().toString(), target, episode, "swap", Approval.Status.PENDING,
                "PRIMARY_DOWN", "the primary fails", "{\"dataPlane\":null}", at, at.plusSeconds(1),
                at.plus(Duration.ofMinutes(10)), "give-up", null, null, null, null, null);
    }

    @Test
    void aTargetHasOneOpenRequestHoweverManyReplicasAsk() throws Exception {
        var outcomes = race(i -> store.insert(pending("cache-a", 1)));
        assertEquals(1, outcomes.stream().filter(o -> o.ok() && o.value()).count(), outcomes.toString());
        assertTrue(outcomes.stream().allMatch(JdbcActionStoreContract.Outcome::ok), outcomes.toString());
        assertTrue(store.insert(pending("cache-b", 1)), "another target is not held back");
        assertEquals(List.of("cache-a", "cache-b"), store.open().stream().map(Approval::target).toList());
    }

    @Test
    void racingAnswersEndARequestOnceAndKeepWhoAnswered() throws Exception {
        Approval a = pending("cache-a", 3);
        assertTrue(store.insert(a));
        var outcomes = race(i -> store.move(a.approvalId(), Approval.Status.PENDING, Approval.Status.APPROVING,
                T0.plusSeconds(5), "key-" + i, "reason " + i, "approved by key-" + i, null));
        assertEquals(1, outcomes.stream().filter(o -> o.ok() && o.value()).count(), outcomes.toString());
        Approval approving = store.find(a.approvalId()).orElseThrow();
        assertEquals(Approval.Status.APPROVING, approving.status());
        assertTrue(store.open("cache-a").isPresent(), "still open while the approver acts");

        assertTrue(store.move(a.approvalId(), Approval.Status.APPROVING, Approval.Status.APPROVED, T0.plusSeconds(9),
                null, null, "swap SUCCEEDED", "action-1"));
        Approval approved = store.find(a.approvalId()).orElseThrow();
        assertEquals(approving.answeredBy(), approved.answeredBy());
        assertEquals(T0.plusSeconds(5), approved.answeredAt());
        assertEquals("action-1", approved.actionId());
        assertFalse(store.move(a.approvalId(), Approval.Status.PENDING, Approval.Status.TIMED_OUT, T0.plusSeconds(10),
                "switchguard", null, "late", null), "the deadline finds it answered");
        assertTrue(store.open("cache-a").isEmpty());
    }

    @Test
    void anEndedRequestFreesItsTargetAndStaysInItsEpisode() {
        Approval first = pending("cache-a", 7);
        assertTrue(store.insert(first));
        assertTrue(store.move(first.approvalId(), Approval.Status.PENDING, Approval.Status.DENIED, T0.plusSeconds(2),
                "key-abc", "not now", "denied", null));
        Approval second = pending("cache-a", 8);
        assertTrue(store.insert(second), "a new episode may ask again");
        assertEquals(List.of(first.approvalId()), store.inEpisode("cache-a", 7).stream().map(Approval::approvalId)
                .toList());
        assertEquals(second.approvalId(), store.latest("cache-a").orElseThrow().approvalId());
        assertEquals("{\"dataPlane\":null}", store.find(first.approvalId()).orElseThrow().signals());
    }
}
