package io.switchguard.switchover;

import io.switchguard.sandbox.SandboxApi;
import io.switchguard.sandbox.SandboxCloudTest;
import io.switchguard.store.ActionStore;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxStore;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The switchover tests' fixture: waits on the journal itself (some tests make the store fail), reads events. */
abstract class SandboxSwitchoverTest extends SandboxCloudTest {

    @Inject
    ActionStore store;
    @Inject
    OutboxStore outbox;

    @AfterEach
    @Override
    protected void endActions() {
        cloud.clearFaults();
        SandboxApi.awaitFinished(store);
    }

    /** The event types of one action, in the order they were written. */
    List<String> events(String target, String actionId) {
        return outbox.forSubject(target).stream().filter(e -> e.data().contains("\"" + actionId + "\""))
                .map(OutboxEntry::type).map(t -> t.substring("io.switchguard.action.".length())).toList();
    }
}
