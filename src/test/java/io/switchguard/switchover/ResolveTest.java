package io.switchguard.switchover;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.switchguard.action.Action;
import io.switchguard.config.Targets;
import io.switchguard.http.ApiKeys;
import io.switchguard.kinds.dws.DwsSimulator;
import io.switchguard.sandbox.SandboxApi;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.store.ActionStore;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxStore;
import io.switchguard.store.StoreException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A way out of a stuck lock: /status says why and until when; an operator's /resolve ends it, journaled. */
@QuarkusTest
@TestProfile(SwitchoverTestProfile.class)
class ResolveTest {

    @Inject
    SwitchoverService service;
    @Inject
    ActionStore store;
    @Inject
    OutboxStore outbox;
    @Inject
    SandboxLauncher sandbox;
    @Inject
    ApiKeys keys;
    @Inject
    io.switchguard.store.LeaseKeeper keeper;
    @Inject
    javax.sql.DataSource dataSource;

    @AfterEach
    void tearDown() {
        service.hook(null);
        await().atMost(Duration.ofSeconds(15)).until(() -> store.list(null, 20).stream().allMatch(Action::finished));
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer test-key-one-4c1a").contentType(ContentType.JSON);
    }

    /** An action whose outcome could not be recorded: UNKNOWN, its lock held until it expires. */
    String stuck() {
        service.hook(new SwitchoverService.CallHook() {
            @Override
            public void afterCall(Action action) {
                throw new StoreException("record action failed (test)", null);
            }
        });
        Action a = service.switchover(SwitchoverRequest.manual("demo-cache", "swap", "stuck", null, false, false,
                null)).journaled().orElseThrow();
        service.hook(null);
        return a.actionId();
    }

    String body(String actionId, String outcome, String reason) {
        return "{\"target\":\"demo-cache\",\"actionId\":\"" + actionId + "\",\"outcome\":\"" + outcome + "\""
                + (reason != null ? ",\"reason\":\"" + reason + "\"" : "") + "}";
    }

    /** A lock taken by a process that is gone (no live replica by its name) says so: only expiry or /resolve end it. */
    @Test
    void aLockWhoseHolderIsGoneSaysSo() {
        ActionStore gone = new io.switchguard.store.JdbcActionStore(dataSource, outbox, "dead-host/4242/0badc0de");
        org.junit.jupiter.api.Assertions.assertTrue(gone.tryLock("demo-dw", "act-of-the-dead", Duration.ofMinutes(5)));
        try {
            api().get("/status?target=demo-dw").then().statusCode(200)
                    .body("targets[0].lock.actionId", equalTo("act-of-the-dead"))
                    .body("targets[0].lock.heldBy", equalTo("dead-host/4242/0badc0de"))
                    .body("targets[0].lock.holderLive", equalTo(false));
        } finally {
            gone.unlock("demo-dw", "act-of-the-dead");
        }
    }

    @Test
    void statusShowsWhyATargetIsLockedAndAnOperatorRecordsTheOutcome() {
        String id = stuck();
        api().get("/status?target=demo-cache").then().statusCode(200)
                .body("targets[0].lock.actionId", equalTo(id))
                .body("targets[0].lock.until", notNullValue())
                .body("targets[0].lock.why", containsString("UNKNOWN/PENDING"))
                .body("targets[0].lock.heldBy", equalTo(keeper.instanceId()))
                .body("targets[0].lock.holderLive", equalTo(true));

        given().contentType(ContentType.JSON).body(body(id, "SUCCEEDED", "checked")).post("/resolve").then()
                .statusCode(401);
        api().body(body(id, "MAYBE", "checked")).post("/resolve").then().statusCode(400)
                .body("error_msg", containsString("outcome"));
        api().body(body(id, "SUCCEEDED", null)).post("/resolve").then().statusCode(400)
                .body("error_msg", containsString("reason"));
        api().body(body("no-such-action", "SUCCEEDED", "checked")).post("/resolve").then().statusCode(404);

        api().body(body(id, "SUCCEEDED", "console shows the standby is master now")).post("/resolve").then()
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("verification", equalTo("SKIPPED"))
                .body("detail", containsString("resolved by " + keys.label(SandboxApi.KEY)))
                .body("steps.name", hasItem("resolve"));
        assertTrue(store.find(id).orElseThrow().steps().stream().anyMatch(s -> s.name().equals("resolve")
                && s.detail().startsWith(keys.label(SandboxApi.KEY) + ": SUCCEEDED")), "the resolve line names the caller");
        api().get("/status?target=demo-cache").then().body("targets[0].lock", nullValue());
        List<String> events = outbox.forSubject("demo-cache").stream().filter(e -> e.data().contains(id))
                .map(OutboxEntry::type).toList();
        assertEquals(List.of("io.switchguard.action.succeeded"), events);
        // Once ended, an outcome is not rewritten.
        api().body(body(id, "FAILED", "changed my mind")).post("/resolve").then().statusCode(409);
    }

    @Test
    void anOperatorCanReleaseTheLockWithoutClaimingAnOutcome() {
        String id = stuck();
        api().body(body(id, "RELEASE", "will check later")).post("/resolve").then().statusCode(200)
                .body("status", equalTo("UNKNOWN"))
                .body("verification", equalTo("SKIPPED"));
        assertTrue(store.locks().stream().noneMatch(l -> l.target().equals("demo-cache")));
        assertTrue(store.find(id).orElseThrow().steps().stream().anyMatch(s -> s.name().equals("resolve")
                && s.detail().contains("will check later")));
    }

    /**
     * An operator who ends an action that a follower is still watching ends the watch too. The follower kept reading
     * the DR status every poll and kept trying to extend a lock it no longer held ("Lock of demo-dw not extended",
     * every 300 ms here) until its own follow-timeout, minutes for a DWS failover in production.
     */
    @Test
    void anOperatorsOutcomeStopsTheFollowerThatWasStillReadingTheState() throws InterruptedException {
        DwsSimulator dws = DwsSimulator.of(sandbox.simulator());
        Duration failoverTime = dws.failoverTime();
        // Long enough to outlast the measurement below, short enough to be over before the next test fails over.
        dws.setFailoverTime(Duration.ofSeconds(4));
        try {
            String id = api().body("{\"target\":\"demo-dw\"}").post("/failover").then().statusCode(202)
                    .extract().path("actionId");
            String status = "/v2/" + Targets.DEMO_PROJECT + "/disaster-recovery/" + SandboxApi.DW;
            await().atMost(Duration.ofSeconds(5)).until(() -> SandboxApi.calls(sandbox.simulator(), "GET", status) >= 2);
            api().body("{\"target\":\"demo-dw\",\"actionId\":\"" + id + "\",\"outcome\":\"FAILED\","
                    + "\"reason\":\"failover cancelled in the console\"}").post("/resolve").then().statusCode(200)
                    .body("status", equalTo("FAILED"));
            Thread.sleep(700); // more than two polls (300 ms apart at most here) for a follower to notice
            long seen = SandboxApi.calls(sandbox.simulator(), "GET", status);
            Thread.sleep(1500);
            assertEquals(seen, SandboxApi.calls(sandbox.simulator(), "GET", status),
                    "no state read after the operator's outcome");
            assertEquals("FAILED", store.find(id).orElseThrow().status().name());
            assertEquals(List.of("io.switchguard.action.submitted", "io.switchguard.action.failed"),
                    outbox.forSubject("demo-dw").stream().filter(e -> e.data().contains(id)).map(OutboxEntry::type)
                            .toList());
        } finally {
            dws.setFailoverTime(failoverTime);
            await().atMost(Duration.ofSeconds(10)).until(() -> !dws.status(SandboxApi.DW).equals("switchovering"));
        }
    }
}
