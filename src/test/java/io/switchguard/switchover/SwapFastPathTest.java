package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.action.Action;
import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import io.switchguard.sandbox.SandboxApi;
import io.switchguard.sandbox.SandboxFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 item 9: the fast path writes the journal once per phase. A swap whose first state read verifies it is
 * three store transactions: the entry with the lock (before the snapshot read), the fence right before the call,
 * and the answer with the verified outcome and the lock's release. The answer has a write of its own only when
 * the caller has to wait for the state. No transaction reads an entry back.
 */
@QuarkusTest
@TestProfile(SwapFastPathTestProfile.class)
class SwapFastPathTest extends SandboxSwitchoverTest {

    @Inject
    SwitchoverService service;
    @Inject
    CountingStore counting;

    @Test
    void aVerifiedSwapIsOneTransactionPerPhase() {
        counting.watch();
        Action a = swap(null);
        List<CountingStore.Tx> txs = counting.stop();

        assertEquals(ActionStatus.SUCCEEDED, a.status(), a.detail());
        assertEquals(Verification.VERIFIED, a.verification());
        assertEquals(1, calls("POST", SWAP));
        assertEquals(3, cloud.count(null, ".*/instances?/" + SandboxApi.CACHE + "/.*"),
                "the state read, the swap and the verification read, nothing else: " + cloud.calls());
        String seen = describe(txs);
        assertEquals(3, txs.size(), "open, fence, answer with its verified outcome: " + seen);
        assertTrue(txs.stream().allMatch(CountingStore.Tx::committed), seen);
        // before the call: the lock taken and the entry with its first lines
        assertEquals(1, txs.get(0).count("INSERT actions"), seen);
        assertEquals(0, txs.get(0).count("SELECT action_steps"), "a new entry's lines need no read: " + seen);
        assertTrue(txs.get(0).count("INSERT target_locks") + txs.get(0).count("UPDATE target_locks") >= 1, seen);
        // the fence: a conditional update of the lock, then the lines since
        assertEquals(1, txs.get(1).count("UPDATE target_locks"), seen);
        // after the answer and its verification: the outcome, its event and the lock's release in one transaction
        assertEquals(1, txs.get(2).count("UPDATE actions"), seen);
        assertEquals(1, txs.get(2).count("INSERT outbox"), seen);
        assertEquals(1, txs.get(2).count("DELETE target_locks"), seen);
        assertEquals(List.of("call.result", "verify"), a.steps().subList(a.steps().size() - 2, a.steps().size())
                .stream().map(Action.Step::name).toList(), "the answer's lines are journaled with the outcome");
        assertEquals(a.steps(), store.find(a.actionId()).orElseThrow().steps(), "the answer's lines are in the store");
        // The open's one query of the journal is a guard (an earlier call on the target whose outcome nobody read
        // stands in the way), not a read-back; the phases after it read no entry.
        assertEquals(1, txs.get(0).count("SELECT actions"), seen);
        assertEquals(0, reads(txs.subList(1, txs.size())), "no entry is read back: " + seen);
        assertTrue(store.locks().stream().noneMatch(l -> l.target().equals("demo-cache")), "lock released");
    }

    @Test
    void aRepeatedRequestIdIsAnsweredFromOneRead() {
        String requestId = "req-" + UUID.randomUUID();
        Action first = swap(requestId);
        counting.watch();
        Action again = swap(requestId);
        List<CountingStore.Tx> txs = counting.stop();

        assertEquals(first.actionId(), again.actionId());
        assertEquals(first.steps(), again.steps(), "the first outcome with its journal lines");
        assertEquals(1, calls("POST", SWAP));
        assertEquals(1, txs.size(), "one read by requestId, no second find: " + describe(txs));
    }

    @Test
    void aNewRequestIdCostsOneReadMore() {
        counting.watch();
        Action a = swap("req-" + UUID.randomUUID());
        List<CountingStore.Tx> txs = counting.stop();

        assertEquals(ActionStatus.SUCCEEDED, a.status(), a.detail());
        assertEquals(4, txs.size(), "the requestId looked up, then one per phase: " + describe(txs));
        assertEquals(2, reads(txs), "the lookup, and the open's guard: " + describe(txs));
    }

    /**
     * When the first state read does not settle the swap, the caller waits for the state; meanwhile the journal
     * shows the answer (SUBMITTED, PENDING, with the answer's line), not the entry as it was before the call.
     */
    @Test
    void whileTheCallerWaitsForTheStateTheJournalShowsTheAnswer() throws Exception {
        cloud.fault(SandboxApi.CACHE, SandboxFault.NO_EFFECT, 1);
        CompletableFuture<Action> answer = CompletableFuture.supplyAsync(() -> swap(null));
        Action seen = await().atMost(Duration.ofSeconds(5)).until(() -> store.list("demo-cache", 1).get(0),
                a -> a.status() == ActionStatus.SUBMITTED);
        assertFalse(answer.isDone(), "seen while the caller waits for the state");
        assertEquals(Verification.PENDING, seen.verification());
        assertTrue(seen.steps().stream().anyMatch(s -> s.name().equals("call.result")), seen.steps().toString());

        Action a = answer.get(10, TimeUnit.SECONDS);
        assertEquals(seen.actionId(), a.actionId());
        assertEquals(ActionStatus.SUBMITTED, a.status(), a.detail());
        assertEquals(1, calls("POST", SWAP));
        // The swap had no effect: end it here rather than wait out the follow-up.
        service.resolve(new Resolution("demo-cache", a.actionId(), Resolution.Outcome.FAILED, "test: no effect", null));
    }

    /**
     * Random (version 4) ids put each new entry, its lines and its event at a random leaf of every journal index;
     * on an H2 file each durable write then rewrote (and often first read) a different leaf per index. Version 7
     * ids begin with the time, so new rows land at the growing end, where the last write left the pages.
     */
    @Test
    void actionIdsBeginWithTheirTimeSoNewEntriesLandAtTheEndOfTheIndexes() {
        Action first = swap(null);
        Action second = swap(null);

        for (Action a : List.of(first, second)) {
            UUID id = UUID.fromString(a.actionId());
            assertEquals(7, id.version(), a.actionId());
            assertEquals(2, id.variant(), a.actionId());
            assertEquals(a.startedAt().toEpochMilli(), id.getMostSignificantBits() >>> 16,
                    "the id's first 48 bits are its start in Unix milliseconds: " + a.actionId());
        }
        assertTrue(first.actionId().compareTo(second.actionId()) < 0, first.actionId() + " then " + second.actionId());
    }

    private Action swap(String requestId) {
        SwitchoverResult r = service.switchover(SwitchoverRequest.manual("demo-cache", "swap", "fast path test",
                requestId, true, false, null));
        return ((SwitchoverResult.Journaled) r).action();
    }

    private static long reads(List<CountingStore.Tx> txs) {
        return txs.stream().mapToLong(t -> t.count("SELECT actions")).sum();
    }

    private static String describe(List<CountingStore.Tx> txs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < txs.size(); i++) {
            out.append("\n  tx ").append(i + 1).append(": ").append(txs.get(i).summary());
        }
        return out.toString();
    }
}
