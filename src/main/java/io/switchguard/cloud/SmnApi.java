package io.switchguard.cloud;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** SMN message publishing. */
@Path("/")
interface SmnApi {

    @POST
    @Path("v2/{project_id}/notifications/topics/{topic_urn}/publish")
    @Consumes(MediaType.APPLICATION_JSON)
    Response publish(@PathParam("project_id") String projectId, @PathParam("topic_urn") String topicUrn,
            @HeaderParam("X-Project-Id") String projectHeader, String body);
}
