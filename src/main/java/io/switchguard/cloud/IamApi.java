package io.switchguard.cloud;

/** IAM password authentication; the token comes back in the X-Subject-Token header. Never signed. */
final class IamApi {

    static final CloudCall TOKEN = CloudCall.post("v3/auth/tokens");

    private IamApi() {
    }
}
