package io.switchguard.cloud;

import io.switchguard.config.SwitchguardConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** Base URL of a service in a region: a configured override, the sandbox, or the provider's naming rule. */
@ApplicationScoped
public class Endpoints {

    private final SwitchguardConfig config;
    private volatile Supplier<String> sandboxUrl;

    public Endpoints(SwitchguardConfig config) {
        this.config = config;
    }

    /** Every service goes to the simulator when the sandbox is on. */
    public void useSandbox(Supplier<String> baseUrl) {
        this.sandboxUrl = baseUrl;
    }

    /**
     * The sandbox comes first: there a configured override is ignored (SandboxLauncher warns, naming the key), as
     * the sandbox promises that nothing real is touched, and its calls are signed with whatever key pair is set.
     */
    public String baseUrl(Service service, String region) {
        if (sandboxUrl != null) {
            return sandboxUrl.get();
        }
        String override = config.cloud().endpoints().get(service.key());
        if (override != null && !override.isBlank()) {
            return stripSlash(override);
        }
        return forProvider(config.cloud().provider(), service, region);
    }

    /**
     * IAM for token requests: the sandbox, an override, Huawei Cloud's global endpoint, or OTC's regional one
     * (region taken from the request's own host, service.REGION.domain).
     */
    public String iam(String region) {
        String override = config.cloud().endpoints().get(Service.IAM.key());
        if (sandboxUrl != null || (override != null && !override.isBlank())) {
            return baseUrl(Service.IAM, region);
        }
        return "otc".equals(config.cloud().provider())
                ? forProvider("otc", Service.IAM, region)
                : "https://iam.myhuaweicloud.com";
    }

    static String forProvider(String provider, Service service, String region) {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("no region to build the " + service.key() + " endpoint from");
        }
        if ("otc".equals(provider)) {
            return "https://" + service.key() + "." + region + ".otc.t-systems.com";
        }
        // Dublin is the one Huawei Cloud region under .eu (SDK region files).
        String domain = region.equals("eu-west-101") ? "myhuaweicloud.eu" : "myhuaweicloud.com";
        return "https://" + service.key() + "." + region + "." + domain;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
