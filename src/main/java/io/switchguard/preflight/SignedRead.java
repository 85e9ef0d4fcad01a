package io.switchguard.preflight;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchguard.cloud.CloudResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A kind's signed read as the first preflight checks: did the endpoint answer, did the cloud accept the signature,
 * is there a resource. The answer's body, when there is one, is for the kind's own checks.
 */
public record SignedRead(List<Readiness.Check> checks, JsonNode body) {

    /** @param what the resource read, for the sentences ("DCS instance 5560df16-...") */
    public static SignedRead of(CloudResponse r, String service, String what) {
        List<Readiness.Check> checks = new ArrayList<>();
        if (r instanceof CloudResponse.NotSent n) {
            checks.add(Readiness.Check.fail("credentials", "the signed read of " + what + " could not be sent: "
                    + n.reason()));
            return new SignedRead(checks, null);
        }
        if (r instanceof CloudResponse.NoAnswer n) {
            checks.add(Readiness.Check.fail("endpoints", "the " + service + " endpoint did not answer a read of "
                    + what + ": " + n.reason()));
            return new SignedRead(checks, null);
        }
        CloudResponse.Answered a = (CloudResponse.Answered) r;
        checks.add(Readiness.Check.pass("endpoints", "the " + service + " endpoint answered (HTTP " + a.status()
                + ")"));
        String error = a.error() == null ? "" : " " + (a.error().code() == null ? "" : a.error().code() + " ")
                + a.error().message();
        if (a.status() == 401 || a.status() == 403) {
            checks.add(Readiness.Check.fail("credentials", "the cloud refused the credentials on a signed read of "
                    + what + " (HTTP " + a.status() + error + "): a switchover would be refused the same way"));
            return new SignedRead(checks, null);
        }
        if (a.status() == 404) {
            checks.add(Readiness.Check.pass("credentials", "the signed read was accepted"));
            checks.add(Readiness.Check.fail("resource", what + " does not exist (HTTP 404" + error + ")"));
            return new SignedRead(checks, null);
        }
        if (!a.ok()) {
            checks.add(Readiness.Check.fail("credentials", "the signed read of " + what + " was not answered with"
                    + " the resource (HTTP " + a.status() + error + "): cannot tell whether a switchover would work"));
            return new SignedRead(checks, null);
        }
        checks.add(Readiness.Check.pass("credentials", "a signed read of " + what + " was accepted"));
        return new SignedRead(checks, a.body());
    }

    public boolean read() {
        return body != null;
    }
}
