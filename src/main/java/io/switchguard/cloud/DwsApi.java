package io.switchguard.cloud;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** DWS v2 disaster recovery: failover (200 = submitted only) and the DR detail that says when it is done. */
@Path("/")
interface DwsApi {

    @POST
    @Path("v2/{project_id}/disaster-recovery/{dr_id}/failover")
    Response failover(@PathParam("project_id") String projectId, @PathParam("dr_id") String drId,
            @HeaderParam("X-Project-Id") String projectHeader);

    @GET
    @Path("v2/{project_id}/disaster-recovery/{dr_id}")
    Response detail(@PathParam("project_id") String projectId, @PathParam("dr_id") String drId,
            @HeaderParam("X-Project-Id") String projectHeader);
}
