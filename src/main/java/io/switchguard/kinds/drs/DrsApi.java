package io.switchguard.kinds.drs;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** DRS v3: dual-VIP switchover and the job status/progress queries. Bodies are pre-serialized JSON. */
@Path("/")
interface DrsApi {

    @POST
    @Path("v3/{project_id}/jobs/{job_id}/switch-vip")
    @Consumes(MediaType.APPLICATION_JSON)
    Response switchVip(@PathParam("project_id") String projectId, @PathParam("job_id") String jobId,
            @HeaderParam("X-Project-Id") String projectHeader, String body);

    @GET
    @Path("v3/{project_id}/jobs/{job_id}/get-switch-vip-status")
    Response switchVipStatus(@PathParam("project_id") String projectId, @PathParam("job_id") String jobId,
            @HeaderParam("X-Project-Id") String projectHeader);

    @POST
    @Path("v3/{project_id}/jobs/batch-status")
    @Consumes(MediaType.APPLICATION_JSON)
    Response batchStatus(@PathParam("project_id") String projectId, @HeaderParam("X-Project-Id") String projectHeader,
            String body);

    @POST
    @Path("v3/{project_id}/jobs/batch-progress")
    @Consumes(MediaType.APPLICATION_JSON)
    Response batchProgress(@PathParam("project_id") String projectId, @HeaderParam("X-Project-Id") String projectHeader,
            String body);
}
