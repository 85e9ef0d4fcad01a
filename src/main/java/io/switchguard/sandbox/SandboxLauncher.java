package io.switchguard.sandbox;

import io.quarkus.runtime.StartupEvent;
import io.switchguard.cloud.CloudAuth;
import io.switchguard.cloud.Endpoints;
import io.switchguard.config.Mode;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.http.ApiKeys;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * With no cloud credentials, starts the in-process cloud simulator, points every cloud call at it with a
 * fresh key pair, creates each target's resource there, and prints what a new user needs to try it.
 */
@ApplicationScoped
public class SandboxLauncher {

    private static final Logger LOG = Logger.getLogger(SandboxLauncher.class);

    private final Mode mode;
    private final SwitchguardConfig config;
    private final Targets targets;
    private final Endpoints endpoints;
    private final CloudAuth auth;
    private final ApiKeys keys;
    private final Clock clock;
    private final Instance<SimulatedKind.Factory> kinds;
    private volatile CloudSimulator simulator;
    private volatile Vertx simulatorVertx;

    public SandboxLauncher(Mode mode, SwitchguardConfig config, Targets targets, Endpoints endpoints, CloudAuth auth,
            ApiKeys keys, Clock clock, Instance<SimulatedKind.Factory> kinds) {
        this.mode = mode;
        this.config = config;
        this.targets = targets;
        this.endpoints = endpoints;
        this.auth = auth;
        this.keys = keys;
        this.clock = clock;
        this.kinds = kinds;
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        if (!mode.sandbox()) {
            return;
        }
        // provider=sandbox with a key pair configured signs with that pair; otherwise a fresh one.
        HexFormat hex = HexFormat.of();
        SecureRandom random = new SecureRandom();
        byte[] ak = new byte[10];
        byte[] sk = new byte[20];
        random.nextBytes(ak);
        random.nextBytes(sk);
        String accessKey = config.cloud().ak().orElse("SANDBOX" + hex.formatHex(ak).toUpperCase());
        String secretKey = config.cloud().sk().orElse(hex.formatHex(sk));
        // Its own Vert.x: the simulated cloud is not part of this service, nor of its metrics.
        simulatorVertx = Vertx.vertx();
        CloudSimulator sim = new CloudSimulator(simulatorVertx, accessKey, secretKey, clock, kinds.stream().toList());
        sim.setSlowDelay(config.sandbox().slowDelay());
        String url = sim.start(config.sandbox().port());
        for (Target t : targets.all()) {
            sim.add(t.kind(), t.projectId(), t.resourceId());
        }
        this.simulator = sim;
        pointDemoProbes();
        endpoints.useSandbox(sim::baseUrl);
        warnIgnoredOverrides(url);
        SwitchguardConfig.Iam iam = config.cloud().iam();
        if (iam.user().isPresent() && iam.password().isPresent() && iam.domain().isPresent()
                && config.cloud().ak().isEmpty()) {
            // Token auth against the simulator's IAM: the configured user exists there for every target's project.
            targets.all().forEach(t -> sim.addIamUser(iam.domain().get(), iam.user().get(), iam.password().get(),
                    t.projectId()));
        } else {
            auth.useSandbox(new CloudAuth.AkSk(accessKey, secretKey, null));
        }
        String apiKey = keys.configured() || keys.disabled() ? null : keys.generate();
        banner(url, apiKey);
    }

    /**
     * provider: sandbox on a copy of a production config keeps its endpoint overrides: ignored rather than refused,
     * so that flipping the provider is all a rehearsal takes, and the sandbox keeps its promise that nothing real is
     * touched (its calls carry the configured key pair, which must never reach a real endpoint).
     */
    private void warnIgnoredOverrides(String simulatorUrl) {
        List<String> keys = config.cloud().endpoints().entrySet().stream()
                .filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .map(e -> "switchguard.cloud.endpoints." + e.getKey()).sorted().toList();
        if (!keys.isEmpty()) {
            LOG.warnf("sandbox: %s ignored: every cloud call goes to the simulator at %s",
                    String.join(", ", keys), simulatorUrl);
        }
    }

    /**
     * Demo targets with a simulated data plane (the caches) are watched through its endpoints that follow the
     * master/standby roles. Those listeners get new ports whenever the simulator (re)starts, so this is called
     * again after a restart.
     */
    public void pointDemoProbes() {
        for (Target t : targets.all()) {
            if (targets.demo() && t.probe() != null) {
                simulator.endpoints(t.kind(), t.resourceId()).ifPresent(e ->
                        targets.replace(t.withProbe(t.probe().withRedis(e.primary(), e.standby()))));
            }
        }
    }

    /** The running simulator (sandbox mode only): tests and the sandbox endpoints drive faults through it. */
    public CloudSimulator simulator() {
        if (simulator == null) {
            throw new IllegalStateException("not in sandbox mode");
        }
        return simulator;
    }

    @PreDestroy
    void stop() {
        if (simulator != null) {
            simulator.stop();
        }
        if (simulatorVertx != null) {
            simulatorVertx.close();
        }
    }

    private void banner(String simulatorUrl, String apiKey) {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        LOG.infof("sandbox started: simulator %s, %d %stargets", simulatorUrl, targets.all().size(),
                targets.demo() ? "demo " : "");
        // The generated key is printed on purpose: it exists only in this process and only in the sandbox.
        // Printed as plain text: inside a JSON log line a new user would not find it.
        System.out.print(banner(simulatorUrl, port, apiKey, targets.all()));
    }

    /** The walk-through names a target that exists: the demo cache, or the first configured one. */
    static String banner(String simulatorUrl, int port, String apiKey, Collection<Target> targets) {
        String list = targets.stream().map(t -> "    " + t.name() + " (" + t.kind().id() + ") -> POST /"
                + t.kind().action()).collect(Collectors.joining("\n"));
        String key = apiKey != null ? apiKey : "<your configured key>";
        Target example = targets.iterator().next();
        return """

                ==================== SWITCHGUARD SANDBOX ====================
                No cloud credentials are configured: every cloud call goes to the
                in-process simulator at %s. Nothing real is touched.
                  API:      http://localhost:%d
                  API key:  %s
                  targets:
                %s
                  try:      curl -H "Authorization: Bearer %s" -d '{"target":"%s"}' http://localhost:%d/%s
                            curl -H "Authorization: Bearer %s" http://localhost:%d/actions
                =============================================================
                """.formatted(simulatorUrl, port, key, list, key, example.name(), port, example.kind().action(),
                key, port);
    }
}
