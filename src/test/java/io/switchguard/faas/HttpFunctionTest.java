package io.switchguard.faas;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.ShardKeeper;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A FaaS deployment's HTTP function (faas enabled, not the event mode of the timer function) runs no check cycle
 * and no due work of its own: it must not hold the coordinator lease nor any shard from the background while it is
 * warm, or the timer function's invocations decide those targets observe-only. It takes them in an invocation.
 */
@QuarkusTest
@TestProfile(HttpFunctionTest.Profile.class)
class HttpFunctionTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchguard.faas.enabled", "true",
                    "switchguard.store.url", "jdbc:h2:mem:httpfunction;DB_CLOSE_DELAY=-1");
        }
    }

    @Inject
    ShardKeeper shards;
    @Inject
    LeaseKeeper keeper;

    @Test
    void theHttpFunctionHoldsNoLeaseNorShardUntilAnInvocation() throws InterruptedException {
        // Several background rounds (every 250 ms) and lease ticks (every second) would have run by now.
        Thread.sleep(2_500);
        assertTrue(shards.owned().isEmpty(), "shards held from the background: " + shards.owned());
        assertTrue(keeper.leadership().isEmpty(), "the lease held from the background");

        InvocationsTest.withKey().body(InvocationsTest.TIMER).post("/invoke").then().statusCode(200);
        assertFalse(shards.owned().isEmpty(), "an invocation takes the shards");
        assertTrue(keeper.leadership().isPresent(), "and the lease its due work needs");
    }
}
