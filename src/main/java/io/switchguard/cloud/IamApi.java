package io.switchguard.cloud;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** IAM password authentication; the token comes back in the X-Subject-Token header. Never signed. */
@Path("/")
interface IamApi {

    @POST
    @Path("v3/auth/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    Response token(String body);
}
