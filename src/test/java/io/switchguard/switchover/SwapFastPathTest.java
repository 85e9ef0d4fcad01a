package io.switchguard.switchover;

import static io.switchguard.sandbox.SandboxApi.SWAP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue #11 item 9: the fast path writes the journal once per phase. A verified swap is four store transactions:
 * the entry with the lock (before the snapshot read), the fence right before the call, the answer, and the
 * verified outcome together with the lock's release. No transaction reads an entry back.
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
        String seen = describe(txs);
        assertEquals(4, txs.size(), "open, fence, answer, outcome: " + seen);
        assertTrue(txs.stream().allMatch(CountingStore.Tx::committed), seen);
        // before the call: the lock taken and the entry with its first lines
        assertEquals(1, txs.get(0).count("INSERT actions"), seen);
        assertEquals(0, txs.get(0).count("SELECT action_steps"), "a new entry's lines need no read: " + seen);
        assertTrue(txs.get(0).count("INSERT target_locks") + txs.get(0).count("UPDATE target_locks") >= 1, seen);
        // the fence: a conditional update of the lock, then the lines since
        assertEquals(1, txs.get(1).count("UPDATE target_locks"), seen);
        assertEquals(1, txs.get(2).count("UPDATE actions"), seen);
        // after verification: the outcome, its event and the lock's release in one transaction
        assertEquals(1, txs.get(3).count("UPDATE actions"), seen);
        assertEquals(1, txs.get(3).count("INSERT outbox"), seen);
        assertEquals(1, txs.get(3).count("DELETE target_locks"), seen);
        assertEquals(0, reads(txs), "no entry is read back: " + seen);
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
        assertEquals(5, txs.size(), "the requestId looked up, then one per phase: " + describe(txs));
        assertEquals(1, reads(txs), describe(txs));
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
