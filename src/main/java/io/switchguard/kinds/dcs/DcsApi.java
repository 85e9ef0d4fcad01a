package io.switchguard.kinds.dcs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** DCS (Redis) v2 and v1.0 APIs used by switchguard. Responses stay raw: success rules differ per call. */
@Path("/")
interface DcsApi {

    @POST
    @Path("v2/{project_id}/instances/{instance_id}/swap")
    Response swap(@PathParam("project_id") String projectId, @PathParam("instance_id") String instanceId,
            @HeaderParam("X-Project-Id") String projectHeader);

    /** v1.0 answers 200 even when the swap failed: the body's code says it. */
    @PUT
    @Path("v1.0/{project_id}/instances/{instance_id}/swap")
    Response swapV1(@PathParam("project_id") String projectId, @PathParam("instance_id") String instanceId,
            @HeaderParam("X-Project-Id") String projectHeader);

    /** Shards and replicas with their master/slave roles; note the singular "instance". */
    @GET
    @Path("v2/{project_id}/instance/{instance_id}/groups")
    Response groups(@PathParam("project_id") String projectId, @PathParam("instance_id") String instanceId,
            @HeaderParam("X-Project-Id") String projectHeader);

    @GET
    @Path("v2/{project_id}/instances/{instance_id}")
    Response instance(@PathParam("project_id") String projectId, @PathParam("instance_id") String instanceId,
            @HeaderParam("X-Project-Id") String projectHeader);
}
