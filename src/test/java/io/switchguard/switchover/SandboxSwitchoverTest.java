package io.switchguard.switchover;

import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.SandboxApi;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.store.ActionStore;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxStore;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The switchover tests' fixture: the sandbox cloud without faults or counted calls before each test, and every
 * action ended after it (a subclass's own @AfterEach runs first), so that no lock outlives its test.
 */
abstract class SandboxSwitchoverTest {

    @Inject
    SandboxLauncher sandbox;
    @Inject
    ActionStore store;
    @Inject
    OutboxStore outbox;

    CloudSimulator cloud;

    @BeforeEach
    void resetCloud() {
        cloud = SandboxApi.fresh(sandbox);
    }

    @AfterEach
    void awaitActionsEnded() {
        cloud.clearFaults();
        SandboxApi.awaitFinished(store);
    }

    long calls(String method, String path) {
        return SandboxApi.calls(cloud, method, path);
    }

    /** The event types of one action, in the order they were written. */
    List<String> events(String target, String actionId) {
        return outbox.forSubject(target).stream().filter(e -> e.data().contains("\"" + actionId + "\""))
                .map(OutboxEntry::type).map(t -> t.substring("io.switchguard.action.".length())).toList();
    }
}
