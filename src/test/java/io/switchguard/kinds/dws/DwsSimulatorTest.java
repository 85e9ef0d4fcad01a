package io.switchguard.kinds.dws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.MutableClock;
import io.switchguard.sandbox.SandboxTestBase;
import io.switchguard.sandbox.Simulators;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class DwsSimulatorTest extends SandboxTestBase {

    private String detail() {
        return "/v2/" + PROJECT + "/disaster-recovery/" + DWS_ID;
    }

    @Test
    void failoverIsSubmittedThenSwitchoveringThenRunningWithRolesTraded() {
        String primary = DwsSimulator.of(sim).primaryCluster(DWS_ID);

        HttpResponse<String> r = signed("POST", failover(PROJECT, DWS_ID), null);

        assertEquals(200, r.statusCode());
        assertEquals(new JsonObject().put("disaster_recovery", new JsonObject().put("id", DWS_ID)), json(r));
        JsonObject during = json(signed("GET", detail(), null)).getJsonObject("disaster_recovery");
        assertEquals("switchovering", during.getString("status"));
        assertEquals(primary, during.getJsonObject("primary_cluster").getString("id"));

        clock.advance(Duration.ofSeconds(1));

        JsonObject after = json(signed("GET", detail(), null)).getJsonObject("disaster_recovery");
        assertEquals("running", after.getString("status"));
        assertEquals(primary, after.getJsonObject("standby_cluster").getString("id"));
        assertEquals("primary", after.getJsonObject("primary_cluster").getString("role"));
        assertEquals("standby", after.getJsonObject("standby_cluster").getString("role"));
        assertEquals(after.getJsonObject("primary_cluster").getString("id"), DwsSimulator.of(sim).primaryCluster(DWS_ID));
        assertEquals("running", DwsSimulator.of(sim).status(DWS_ID));
    }

    /** Issue 12 item 5: the planned switchover of a healthy DR, and the DR detail while it runs. */
    @Test
    void plannedSwitchoverIsSubmittedThenSwitchoveringThenRunningWithRolesTraded() {
        String primary = DwsSimulator.of(sim).primaryCluster(DWS_ID);
        String standby = DwsSimulator.of(sim).standbyCluster(DWS_ID);

        HttpResponse<String> r = signed("POST", switchover(PROJECT, DWS_ID), null);

        assertEquals(200, r.statusCode(), r.body());
        assertEquals(new JsonObject().put("disaster_recovery", new JsonObject().put("id", DWS_ID)), json(r));
        JsonObject during = json(signed("GET", detail(), null)).getJsonObject("disaster_recovery");
        assertEquals("switchovering", during.getString("status"));
        assertEquals(primary, during.getJsonObject("primary_cluster").getString("id"));
        assertEquals(400, signed("POST", switchover(PROJECT, DWS_ID), null).statusCode(), "one at a time");

        clock.advance(DwsSimulator.of(sim).failoverTime());

        JsonObject after = json(signed("GET", detail(), null)).getJsonObject("disaster_recovery");
        assertEquals("running", after.getString("status"));
        assertEquals(standby, after.getJsonObject("primary_cluster").getString("id"));
        assertEquals(primary, after.getJsonObject("standby_cluster").getString("id"));
        assertEquals(1, sim.state().getJsonObject("dws").getJsonObject(DWS_ID).getInteger("switchovers"));
        assertEquals(0, sim.state().getJsonObject("dws").getJsonObject(DWS_ID).getInteger("failovers"));
    }

    /** Healthy DR only: with the primary cluster failed the planned switchover is refused and nothing moves. */
    @Test
    void plannedSwitchoverOfAnUnhealthyDrIsRefused() {
        String primary = DwsSimulator.of(sim).primaryCluster(DWS_ID);
        sim.dataPlaneFault(DWS_ID, DataPlaneFault.DOWN);

        HttpResponse<String> r = signed("POST", switchover(PROJECT, DWS_ID), null);

        assertEquals(400, r.statusCode(), r.body());
        assertEquals("DWS.10103", json(r).getString("error_code"));
        clock.advance(DwsSimulator.of(sim).failoverTime().plusSeconds(1));
        assertEquals(primary, DwsSimulator.of(sim).primaryCluster(DWS_ID));
    }

    static String switchover(String project, String id) {
        return "/v2/" + project + "/disaster-recovery/" + id + "/switchover";
    }

    @Test
    void failoverCompletesInRealTimeWithTheSystemClock() {
        CloudSimulator real = Simulators.create(vertx, AK, SK, Clock.systemUTC());
        try {
            base = real.start(0);
            DwsSimulator.of(real).add(PROJECT, DWS_ID);
            DwsSimulator.of(real).setFailoverTime(Duration.ofMillis(200));
            String primary = DwsSimulator.of(real).primaryCluster(DWS_ID);
            clock = new MutableClock(Instant.now());

            assertEquals(200, signed("POST", failover(PROJECT, DWS_ID), null).statusCode());
            assertEquals("switchovering", DwsSimulator.of(real).status(DWS_ID));

            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> "running".equals(DwsSimulator.of(real).status(DWS_ID)));
            assertEquals(primary, DwsSimulator.of(real).standbyCluster(DWS_ID));
        } finally {
            real.stop();
        }
    }

    @Test
    void detailCarriesTheReferenceFieldsAndLastSuccessTimeFollowsSyncAge() {
        DwsSimulator.of(sim).setSyncAge(DWS_ID, Duration.ofMinutes(7));

        HttpResponse<String> r = signed("GET", detail(), null);

        assertEquals(200, r.statusCode());
        JsonObject dr = json(r).getJsonObject("disaster_recovery");
        assertEquals(DWS_ID, dr.getString("id"));
        assertNotNull(dr.getString("name"));
        assertEquals("az", dr.getString("dr_type"));
        assertEquals("running", dr.getString("status"));
        assertNotNull(dr.getString("start_time"));
        JsonObject primary = dr.getJsonObject("primary_cluster");
        for (String field : new String[] {"id", "name", "role", "status", "last_success_time", "cluster_az"}) {
            assertNotNull(primary.getValue(field), field);
        }
        Instant lastSuccess = Instant.parse(primary.getString("last_success_time"));
        long ageSeconds = Duration.between(lastSuccess, clock.instant()).toSeconds();
        assertEquals(7 * 60, ageSeconds, 1);
    }

    @Test
    void secondFailoverWhileSwitchoveringIs400AndDoesNotTradeTwice() {
        String primary = DwsSimulator.of(sim).primaryCluster(DWS_ID);
        signed("POST", failover(PROJECT, DWS_ID), null);

        HttpResponse<String> again = signed("POST", failover(PROJECT, DWS_ID), null);

        assertEquals(400, again.statusCode());
        assertNotNull(json(again).getString("error_code"));
        clock.advance(Duration.ofSeconds(5));
        assertEquals(primary, DwsSimulator.of(sim).standbyCluster(DWS_ID));
    }

    @Test
    void unknownDrIs404WithDwsErrorCode() {
        HttpResponse<String> r = signed("GET", "/v2/" + PROJECT + "/disaster-recovery/nope", null);

        assertEquals(404, r.statusCode());
        assertEquals("DWS.10101", json(r).getString("error_code"));
    }
}
