package io.switchguard.kinds.dws;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/** What both DWS operations (failover, planned switchover) read of a DR detail: its status and each role's cluster. */
record DwsDetail(String status, String primary, String standby) {

    /** States a DR does not leave by itself: an operator must look. */
    private static final Set<String> FAILED_STATES =
            Set.of("abnormal", "start_failed", "stop_failed", "create_failed", "deleted", "deleting");

    /** Missing fields read as "". */
    static DwsDetail of(JsonNode body) {
        JsonNode dr = body.path("disaster_recovery");
        return new DwsDetail(dr.path("status").asText(""), dr.path("primary_cluster").path("id").asText(""),
                dr.path("standby_cluster").path("id").asText(""));
    }

    boolean failed() {
        return FAILED_STATES.contains(status);
    }

    boolean running() {
        return "running".equals(status);
    }

    /** "primary/standby". */
    String roles() {
        return primary + "/" + standby;
    }
}
