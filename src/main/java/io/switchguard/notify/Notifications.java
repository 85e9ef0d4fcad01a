package io.switchguard.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchguard.cloud.CloudClient;
import io.switchguard.config.Mode;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxEvent;
import io.switchguard.store.OutboxStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The notification pipeline as the application runs it: the outbox the journal writes into, the sinks that are
 * configured, and the sender that drains them on its own threads from startup (after the sandbox is up) to shutdown.
 * {@link #enqueue} is for events with no journal entry (target health); {@link #status()} is for /status.
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);

    /** What /status shows: per configured sink the outbox counts, and the most recent events given up. */
    public record Status(Map<String, OutboxSender.SinkCounts> sinks, List<OutboxEntry> recentDead) {}

    private final SwitchguardConfig config;
    private final OutboxStore outbox;
    private final CloudClient cloud;
    private final MeterRegistry registry;
    private final Mode mode;
    private volatile OutboxSender sender;

    public Notifications(SwitchguardConfig config, OutboxStore outbox, CloudClient cloud, MeterRegistry registry,
            Mode mode) {
        this.config = config;
        this.mode = mode;
        this.outbox = outbox;
        this.cloud = cloud;
        this.registry = registry;
    }

    /** The outbox every store writes into; its sinks are the configured ones. */
    @Produces
    @Singleton
    static OutboxStore outboxStore(DataSource dataSource, SwitchguardConfig config, Mode mode) {
        SwitchguardConfig.Notify n = config.notifications();
        return new OutboxStore(dataSource, NotifyConfig.sinks(n, mode.sandbox()), NotifyConfig.source(n));
    }

    /** Right after the general configuration check: a bad notify key stops startup, naming the key. */
    void check(@Observes @Priority(2) StartupEvent event) {
        List<String> problems = NotifyConfig.problems(config.notifications());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("switchguard configuration is invalid:\n  " + String.join("\n  ", problems));
        }
    }

    /** After the sandbox (priority 10), whose endpoints SMN publishes may go to. */
    void start(@Observes @Priority(20) StartupEvent event) {
        SwitchguardConfig.Notify n = config.notifications();
        List<Sink> sinks = new ArrayList<>();
        n.webhook().filter(s -> !s.isBlank()).ifPresent(url -> sinks.add(
                new WebhookSink(URI.create(url), n.webhookSecret().orElse(null), n.connectTimeout(), n.readTimeout())));
        NotifyConfig.smnTopic(n, mode.sandbox()).ifPresent(urn -> sinks.add(new SmnSink(cloud,
                NotifyConfig.smnRegion(n.smn()).or(() -> NotifyConfig.urnPart(Optional.of(urn), 2)).orElseThrow(),
                NotifyConfig.smnProjectId(n.smn()).or(() -> NotifyConfig.urnPart(Optional.of(urn), 3)).orElseThrow(), urn)));
        if (sinks.isEmpty()) {
            LOG.info("notifications: no webhook and no SMN topic configured; events are not kept");
        }
        // A claim must outlast the longest attempt (webhook or cloud call) by a margin.
        Duration longest = max(n.connectTimeout().plus(n.readTimeout()),
                config.cloud().connectTimeout().plus(config.cloud().readTimeout()));
        OutboxSender.Settings settings = new OutboxSender.Settings(n.pollInterval(), n.senders(),
                new Backoff(n.firstRetry(), n.maxBackoff()), n.maxAge(), longest.plusSeconds(30), n.retention());
        OutboxSender s = new OutboxSender(outbox, sinks, settings, registry,
                "notify-" + NotifyConfig.hostName() + "-" + UUID.randomUUID().toString().substring(0, 8));
        outbox.onEnqueued(s::wake);
        sender = s;
        s.start();
    }

    void stop(@Observes ShutdownEvent event) {
        OutboxSender s = sender;
        if (s != null) {
            s.close();
        }
    }

    /** Enqueues an event that has no journal entry (the checker's target health events). */
    public void enqueue(OutboxEvent event) {
        outbox.enqueue(event);
    }

    public Status status() {
        OutboxSender s = sender;
        Map<String, OutboxSender.SinkCounts> counts = s == null ? Map.of() : s.counts();
        return new Status(counts, outbox.list(OutboxEntry.State.DEAD, 10));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
