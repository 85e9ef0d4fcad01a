package io.switchguard.notify;

import io.switchguard.cloud.CloudClient;
import io.switchguard.cloud.CloudResponse;
import io.switchguard.store.OutboxEntry;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Publishes each event to an SMN topic through the signed cloud client: a short subject for e-mail and the
 * CloudEvent JSON (the same bytes as the webhook's) as message, so HTTP subscribers can parse it.
 */
public final class SmnSink implements Sink {

    private static final String TYPE_PREFIX = "io.switchguard.";

    private final CloudClient cloud;
    private final String region;
    private final String projectId;
    private final String topicUrn;

    public SmnSink(CloudClient cloud, String region, String projectId, String topicUrn) {
        this.cloud = Objects.requireNonNull(cloud, "cloud");
        this.region = region;
        this.projectId = Objects.requireNonNull(projectId, "projectId");
        this.topicUrn = Objects.requireNonNull(topicUrn, "topicUrn");
    }

    @Override
    public String name() {
        return SMN;
    }

    @Override
    public Result deliver(OutboxEntry entry) {
        String message = new String(CloudEventJson.serialize(entry), StandardCharsets.UTF_8);
        CloudResponse response = cloud.smnPublish(region, projectId, topicUrn, subject(entry), message);
        if (response instanceof CloudResponse.Answered a) {
            if (a.ok()) {
                String id = a.body().path("message_id").asText("");
                return Result.delivered("HTTP " + a.status() + (id.isEmpty() ? "" : " message " + id));
            }
            return Result.failed("HTTP " + a.status() + (a.error() != null
                    ? " " + (a.error().code() != null ? a.error().code() + " " : "") + a.error().message() : ""));
        }
        return Result.failed(response instanceof CloudResponse.NotSent n ? "not sent: " + n.reason()
                : "no answer: " + ((CloudResponse.NoAnswer) response).reason());
    }

    /** "switchguard: orders-cache action succeeded" (SMN subjects are at most 512 characters; ours are far shorter). */
    static String subject(OutboxEntry e) {
        String what = e.type().startsWith(TYPE_PREFIX) ? e.type().substring(TYPE_PREFIX.length()) : e.type();
        return "switchguard: " + e.subject() + " " + what.replace('.', ' ');
    }
}
