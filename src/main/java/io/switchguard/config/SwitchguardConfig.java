package io.switchguard.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The one configuration root. Keys under {@code switchguard} are fixed by CONTRACT §3; the targets are read by
 * {@link ConfiguredTargets} (see {@link #targetKeys()});
 * {@link #switchover()} and {@link #sandbox()} are ours. Validated at startup by {@link ConfigValidator}.
 */
@ConfigMapping(prefix = "switchguard")
public interface SwitchguardConfig {

    /** true: decide and notify, never call a switchover API. */
    @WithDefault("false")
    boolean dryRun();

    Cloud cloud();

    Api api();

    /** Named notifications() because notify() is final on Object. */
    @WithName("notify")
    Notify notifications();

    Store store();

    Switchover switchover();

    Sandbox sandbox();

    /** FunctionGraph / container-image function mode (issue 7): set by the FaaS bundle and image only. */
    Faas faas();

    Check check();

    FailoverBudget budget();

    Preflight preflight();

    /**
     * Every switchguard.targets.&lt;name&gt;.* key as written (name.kind, name.probe.tcp, ...), so that SmallRye knows
     * them as mapped keys. Read the targets through {@link ConfiguredTargets}: a map of strings maps in linear time,
     * where a map of groups had SmallRye walk every property name for each target's groups.
     */
    @WithName("targets")
    Map<String, String> targetKeys();

    interface Cloud {
        /**
         * huaweicloud | otc | sandbox, as configured (empty: not set). The sandbox runs only when this says so, or
         * when nothing at all is configured (CONTRACT §2); see {@link io.switchguard.config.Mode}.
         */
        @WithName("provider")
        Optional<String> providerSetting();

        /** The provider, huaweicloud unless set. */
        default String provider() {
            return providerSetting().orElse("huaweicloud");
        }

        Optional<String> ak();

        Optional<String> sk();

        /** Temporary credentials: sent as X-Security-Token and signed. */
        Optional<String> securityToken();

        @WithDefault("2s")
        Duration connectTimeout();

        /** A switchover call that times out is UNKNOWN and never retried. */
        @WithDefault("10s")
        Duration readTimeout();

        /** Base-URL override per service: dcs, drs, dws, smn, iam. */
        Map<String, String> endpoints();

        /** Token auth, the alternative to AK/SK: a project-scoped IAM token from password authentication. */
        Iam iam();

        /** How the cloud's status (the checker's second signal) is read: reuse within an interval, own timeout. */
        Signals signals();

        /** Calls per second the status reads may make, per service, to stay under the cloud's API quotas. */
        RateLimit rateLimit();
    }

    interface Signals {
        /**
         * A resource's status read within its target's probe interval is reused: at most one read per interval
         * per resource, however many cycles, targets or guards ask. A manual call's guard always reads anew.
         */
        @WithDefault("true")
        boolean reuse();

        /** The status reads' own bound; empty: twice connect-timeout plus read-timeout (a read is up to two calls). */
        Optional<Duration> timeout();

        /**
         * How long an observation waits for the cloud status beside a data-plane probe; empty: the probe's own
         * timeout, so a slow cloud never holds the data plane's result back longer than the probe itself may take.
         */
        @WithName("wait")
        Optional<Duration> waitBeside();
    }

    interface RateLimit {
        /** DCS calls per second (a status read is two: instance detail and groups). */
        @WithDefault("50")
        int dcs();

        /** DRS calls per second (batch-status and batch-progress, each for up to 100 jobs of one project). */
        @WithDefault("50")
        int drs();

        /** DWS calls per second (one DR detail per read). */
        @WithDefault("50")
        int dws();
    }

    interface Iam {
        Optional<String> user();

        Optional<String> password();

        /** Account (domain) name the IAM user belongs to. */
        Optional<String> domain();
    }

    interface Api {
        /** Comma-separated bearer keys; the literal "none" switches authentication off (loudly). */
        Optional<String> keys();
    }

    /** Notifications (CONTRACT §6): a durable outbox drained to the webhook and/or SMN. */
    interface Notify {
        /** CloudEvents 1.0 receiver (structured JSON POST); unset = no webhook sink. */
        Optional<String> webhook();

        /** Shared secret: every webhook POST then carries X-Switchguard-Signature: sha256=<hex HMAC-SHA256 of the body>. */
        Optional<String> webhookSecret();

        /** CloudEvents source attribute; default /switchguard/<host name>. */
        Optional<String> source();

        Smn smn();

        /**
         * In the sandbox with no smn.topic-urn: publish to the simulator's SMN (topic switchguard) so the whole loop
         * can be watched in its /_sandbox/state.
         */
        @WithDefault("true")
        boolean sandboxSmn();

        /** Per webhook POST. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Per webhook POST: no answer within this is a failed attempt, retried. */
        @WithDefault("10s")
        Duration readTimeout();

        /** Delay before the first retry; doubles per failed attempt (with jitter) up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration firstRetry();

        @WithDefault("5m")
        Duration maxBackoff();

        /** An event still undelivered this long after it was written is given up: DEAD. */
        @WithDefault("24h")
        Duration maxAge();

        /** How often the sender looks for due events (new events also wake it at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Deliveries in flight at once per instance. */
        @WithDefault("4")
        int senders();

        /** Delivered and dead events are deleted from the outbox this long after they finished. */
        @WithDefault("7d")
        Duration retention();
    }

    /** Huawei SMN publish; region and project-id default to the ones in the topic URN. */
    interface Smn {
        /** urn:smn:<region>:<project_id>:<topic name>; unset = no SMN sink. */
        Optional<String> topicUrn();

        Optional<String> region();

        Optional<String> projectId();
    }

    interface Store {
        @WithDefault("jdbc:h2:file:./data/switchguard")
        String url();

        Optional<String> username();

        Optional<String> password();

        @WithDefault("15s")
        Duration leaseTtl();

        /**
         * Shards the targets are split into among replicas sharing the store: a target belongs to shard
         * crc32(name) mod shards, each shard is a lease, and only its holder acts on the shard's targets. Every
         * replica on one store must use the same number. One process (the H2 file store) holds them all.
         */
        @WithDefault("32")
        int shards();
    }

    /** How long the service follows a switchover after the cloud accepted it. */
    interface Switchover {
        /** How long a switchover call waits for verification before answering (dcs, dcs-v1, drs). */
        @WithDefault("30s")
        Duration verifyTimeout();

        /** How long the service keeps following an accepted switchover in the background (dws failover, late verification). */
        @WithDefault("30m")
        Duration followTimeout();

        /** First poll delay; doubles up to {@link #pollMax()}. */
        @WithDefault("500ms")
        Duration pollInitial();

        @WithDefault("10s")
        Duration pollMax();
    }

    /** The health checker (CONTRACT §5). Ours, not in the contract. */
    interface Check {
        /** false: no background schedule; cycles run only through /check (FaaS timer, tests). */
        @WithDefault("true")
        boolean scheduler();

        /** DRS batch-progress field with the sync delay in seconds (documented, but unverified against live DRS). */
        @WithDefault("incre_trans_delay")
        String drsLagField();

        /** DWS DR cluster field with the last successful sync time (from the SDK model, unverified live). */
        @WithDefault("last_success_time")
        String dwsLastSyncField();

        /**
         * A pause this old raises an io.switchguard.target.pause-reminder event, and again once per this period
         * until it is resumed or runs out: pauses are forgotten.
         */
        @WithDefault("24h")
        Duration pauseReminder();

        /**
         * How often cycles are driven from outside when that is slower than a probe interval: the FaaS timer's rate.
         * A target whose last counted probe is older than twice this (or its interval, whichever is longer) plus its
         * timeout means the checker itself ran late, and that cycle does not act. Unset: the probe intervals.
         */
        Optional<Duration> cyclePeriod();
    }

    /**
     * The fleet-wide failover budget (ours): more than {@link #maxAutomatic()} automatic switchover attempts within
     * {@link #window()} across all targets, and the next automatic action is refused and all automatic action braked
     * until an operator's POST /budget/reset. Manual calls are never braked.
     */
    interface FailoverBudget {
        /** false: no budget (not recommended: nothing stops a failover storm but the per-target cooldown). */
        @WithDefault("true")
        boolean enabled();

        /** Automatic switchover attempts allowed within the window, across all targets; at least 1. */
        @WithDefault("3")
        int maxAutomatic();

        @WithDefault("1h")
        Duration window();

        /**
         * Budgets per group of targets (a target's group key), in addition to the fleet-wide one: spending one
         * brakes that group's automatic actions only, until POST /budget/reset {"group"}.
         */
        Map<String, BudgetGroup> groups();
    }

    /** One group's budget; either number unset = the fleet-wide one's. */
    interface BudgetGroup {
        Optional<Integer> maxAutomatic();

        Optional<Duration> window();
    }

    /**
     * Continuous preflight (ours): every target's "could we switch right now?" on a slower schedule than probes.
     * An unready target gets no automatic action; a manual call on it needs force.
     */
    interface Preflight {
        /** false: no preflight runs, nothing is blocked by it. */
        @WithDefault("true")
        boolean enabled();

        /** How often each target is preflighted (by the schedule: switchguard.check.scheduler). */
        @WithDefault("5m")
        Duration interval();

        /**
         * How often a target whose last preflight failed is preflighted again, until it passes: a standby that was
         * restarting at the last preflight must not hold automatic action back for a whole interval.
         */
        @WithDefault("30s")
        Duration retry();
    }

    interface Sandbox {
        /** Port of the in-process cloud simulator; 0 picks a free one. */
        @WithDefault("0")
        int port();

        /** Answer delay of the simulator's "slow" fault. */
        @WithDefault("15s")
        Duration slowDelay();
    }

    /**
     * Running as a FunctionGraph function (CONTRACT §2, §7). Every default is off; infra/functiongraph sets them.
     */
    interface Faas {
        /**
         * A FunctionGraph deployment: cloud credentials arrive per invocation from the function's agency
         * (X-CFF-* headers), so a real-cloud configuration without static AK/SK is valid, and the in-process
         * scheduler is off (the timer drives cycles). It opens no path.
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * The timer (event) function only: the platform calls POST /init and /invoke without our bearer key, so
         * those two paths, and only those, are open. Never on the HTTP function behind API Gateway. Implies
         * {@link #enabled()}.
         */
        @WithDefault("false")
        boolean eventMode();
    }
}
