package io.switchguard.sandbox;

import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A @QuarkusTest that drives switchguard's API against the sandbox cloud: before each test the simulator has no
 * faults and no counted calls; after it (a subclass's own @AfterEach runs first) faults are cleared and every action
 * has ended, so that no follower still holds a lock the next test needs.
 */
public abstract class SandboxCloudTest {

    @Inject
    protected SandboxLauncher sandbox;

    protected CloudSimulator cloud;

    @BeforeEach
    protected void resetCloud() {
        cloud = SandboxApi.fresh(sandbox);
    }

    @AfterEach
    protected void endActions() {
        cloud.clearFaults();
        SandboxApi.awaitActionsFinished();
    }

    /** How often the cloud received this call (method and exact path). */
    protected long calls(String method, String path) {
        return SandboxApi.calls(cloud, method, path);
    }
}
