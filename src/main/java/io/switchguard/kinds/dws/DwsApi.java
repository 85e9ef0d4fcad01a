package io.switchguard.kinds.dws;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * DWS v2 disaster recovery: the exception failover and the planned switchover (200 = submitted only, both) and
 * the DR detail that says when either is done. Paths as in the SDK's DwsMeta (SdkRequestDefinitionsTest).
 */
@Path("/")
interface DwsApi {

    @POST
    @Path("v2/{project_id}/disaster-recovery/{dr_id}/failover")
    Response failover(@PathParam("project_id") String projectId, @PathParam("dr_id") String drId,
            @HeaderParam("X-Project-Id") String projectHeader);

    /** Planned switchover: a healthy DR trades roles without data loss (the cloud refuses an unhealthy one). */
    @POST
    @Path("v2/{project_id}/disaster-recovery/{dr_id}/switchover")
    Response switchover(@PathParam("project_id") String projectId, @PathParam("dr_id") String drId,
            @HeaderParam("X-Project-Id") String projectHeader);

    @GET
    @Path("v2/{project_id}/disaster-recovery/{dr_id}")
    Response detail(@PathParam("project_id") String projectId, @PathParam("dr_id") String drId,
            @HeaderParam("X-Project-Id") String projectHeader);
}
