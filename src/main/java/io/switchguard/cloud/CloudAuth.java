package io.switchguard.cloud;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.switchguard.config.SwitchguardConfig;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decides how a cloud request is authenticated: AK/SK signing (configured, sandbox, or temporary credentials
 * handed to one FaaS invocation) or an IAM token. Secrets live only here and in the signer.
 */
@ApplicationScoped
public class CloudAuth {

    /**
     * An access key pair; securityToken is set for temporary credentials. toString shows none of them: an
     * invocation's temporary AK is never logged either (Invocations).
     */
    public record AkSk(String ak, String sk, String securityToken) {
        @Override
        public String toString() {
            return "AkSk[ak=***, sk=***" + (securityToken != null ? ", securityToken=***" : "") + "]";
        }
    }

    /**
     * RoutingContext data key under which the HTTP guard leaves a request's agency credentials (X-CFF-* headers),
     * once it has decided they may be trusted (CONTRACT §7). Every cloud call made while serving that request,
     * on whichever worker thread, signs with them.
     */
    public static final String REQUEST_CREDENTIALS = "switchguard.agency-credentials";

    private final Clock clock;
    private final IamTokens iamTokens;
    private final ThreadLocal<AkSk> invocationCredentials = new ThreadLocal<>();
    private volatile AkSk configured;

    public CloudAuth(SwitchguardConfig config, Clock clock, IamTokens iamTokens) {
        this.clock = clock;
        this.iamTokens = iamTokens;
        SwitchguardConfig.Cloud cloud = config.cloud();
        if (cloud.ak().isPresent() && cloud.sk().isPresent()) {
            this.configured = new AkSk(cloud.ak().get(), cloud.sk().get(), cloud.securityToken().orElse(null));
        }
    }

    /** The sandbox's own key pair, used when no AK/SK is configured. */
    public void useSandbox(AkSk credentials) {
        this.configured = credentials;
    }

    /** Runs work with temporary credentials for this thread only (a FaaS invocation's X-CFF-* headers). */
    public <T> T withCredentials(AkSk credentials, Supplier<T> work) {
        AkSk previous = invocationCredentials.get();
        invocationCredentials.set(credentials);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                invocationCredentials.remove();
            } else {
                invocationCredentials.set(previous);
            }
        }
    }

    /**
     * The same work, carrying this thread's invocation credentials (if any) to whichever thread runs it: a check
     * cycle probes on a pool, a switchover is followed in the background, and both must sign as the invocation.
     */
    public <T> Supplier<T> propagate(Supplier<T> work) {
        AkSk credentials = current();
        return credentials == null ? work : () -> withCredentials(credentials, work);
    }

    public Runnable propagate(Runnable work) {
        Supplier<Void> wrapped = propagate(() -> {
            work.run();
            return null;
        });
        return wrapped::get;
    }

    /**
     * The headers to add to a request: the signed set (X-Sdk-Date, Authorization, X-Security-Token)
     * or X-Auth-Token. headers are the request's own headers, which the signature covers.
     */
    Map<String, String> authorize(String method, URI uri, Map<String, String> headers, byte[] body) {
        AkSk invocation = current();
        AkSk credentials = invocation != null ? invocation : configured;
        if (credentials != null) {
            Map<String, String> toSign = new LinkedHashMap<>(headers);
            if (credentials.securityToken() != null && !credentials.securityToken().isBlank()) {
                toSign.put("X-Security-Token", credentials.securityToken());
            }
            return AkSkSigner.sign(method, uri, toSign, body, credentials.ak(), credentials.sk(), clock.instant());
        }
        if (!iamTokens.configured()) {
            // A FaaS deployment has no static keys: its credentials come with each invocation. Say which is missing.
            throw new IllegalStateException("no cloud credentials for this call: no X-CFF-* agency keys came with "
                    + "the invocation (is an agency set, and Include Keys on for an HTTP function?) and none are "
                    + "configured (switchguard.cloud.ak/sk or switchguard.cloud.iam.*)");
        }
        Map<String, String> out = new LinkedHashMap<>(headers);
        out.put("X-Auth-Token", iamTokens.token(headers.get("X-Project-Id"), uri));
        return out;
    }

    /**
     * Whether a cloud call made on this thread now could be signed: invocation credentials, configured keys or IAM.
     * A FaaS instance between invocations has none.
     */
    public boolean canSign() {
        return current() != null || configured != null || iamTokens.configured();
    }

    /** This thread's invocation credentials, else those the HTTP guard attached to the request being served. */
    private AkSk current() {
        AkSk own = invocationCredentials.get();
        return own != null ? own : requestCredentials();
    }

    private static AkSk requestCredentials() {
        ArcContainer arc = Arc.container();
        if (arc == null || !arc.requestContext().isActive()) {
            return null;
        }
        RoutingContext ctx = arc.instance(CurrentVertxRequest.class).get().getCurrent();
        return ctx == null ? null : ctx.get(REQUEST_CREDENTIALS);
    }
}
