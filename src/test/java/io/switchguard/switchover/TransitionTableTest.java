package io.switchguard.switchover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.action.ActionStatus;
import io.switchguard.action.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What may happen to an action, as one table: any change to it shows as a diff of the checked-in copy. */
class TransitionTableTest {

    @Test
    void theTableIsTheCheckedInOne() throws IOException {
        String table = ActionJournal.table();
        System.out.println(table);
        try (InputStream in = getClass().getResourceAsStream("/switchover/transitions.txt")) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), table,
                    "the transition table changed: update src/test/resources/switchover/transitions.txt on purpose");
        }
    }

    @Test
    void nothingLeavesATerminalStateAndSuccessIsNeverPending() {
        ActionJournal.State succeededPending = new ActionJournal.State(ActionStatus.SUCCEEDED, Verification.PENDING);
        ActionJournal.MOVES.values().forEach(to -> assertFalse(to.contains(succeededPending),
                "SUCCEEDED is a fact, never an intention"));
        assertTrue(ActionJournal.terminal(new ActionJournal.State(ActionStatus.SUCCEEDED, Verification.VERIFIED)));
        assertFalse(ActionJournal.allowed(new ActionJournal.State(ActionStatus.FAILED, Verification.FAILED),
                new ActionJournal.State(ActionStatus.SUCCEEDED, Verification.VERIFIED)));
        assertFalse(ActionJournal.allowed(ActionJournal.ACCEPTED,
                new ActionJournal.State(ActionStatus.REJECTED, Verification.NONE)), "once sent, never 'rejected'");
    }
}
