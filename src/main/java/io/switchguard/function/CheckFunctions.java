package io.switchguard.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.configuration.DurationConverter;
import io.switchguard.action.Action;
import io.switchguard.approval.Approvals;
import io.switchguard.check.Checker;
import io.switchguard.check.FailoverBudget;
import io.switchguard.check.Observer;
import io.switchguard.check.StateStore;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.http.ApiException;
import io.switchguard.http.Callers;
import io.switchguard.notify.Notifications;
import io.switchguard.policy.Budget;
import io.switchguard.policy.Pause;
import io.switchguard.policy.TargetState;
import io.switchguard.preflight.Preflight;
import io.switchguard.store.ActionStore;
import io.switchguard.store.JdbcShardStore;
import io.switchguard.store.Lease;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.store.ShardKeeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /check, /status, /pause, /resume (CONTRACT §4): thin over the checker and its state. */
public class CheckFunctions {

    private final Checker checker;
    private final Observer observer;
    private final StateStore states;
    private final ActionStore journal;
    private final Targets targets;
    private final LeaseKeeper keeper;
    private final ShardKeeper shards;
    private final Notifications notifications;
    private final SwitchguardConfig config;
    private final ObjectMapper mapper;
    private final Callers callers;
    private final FailoverBudget budget;
    private final Approvals approvals;
    private final Preflight preflight;
    private final Clock clock;

    public CheckFunctions(Checker checker, Observer observer, StateStore states, ActionStore journal, Targets targets,
            LeaseKeeper keeper, ShardKeeper shards, Notifications notifications, SwitchguardConfig config, ObjectMapper mapper,
            Callers callers, FailoverBudget budget, Approvals approvals, Preflight preflight, Clock clock) {
        this.checker = checker;
        this.observer = observer;
        this.states = states;
        this.journal = journal;
        this.targets = targets;
        this.keeper = keeper;
        this.shards = shards;
        this.notifications = notifications;
        this.config = config;
        this.mapper = mapper;
        this.callers = callers;
        this.budget = budget;
        this.approvals = approvals;
        this.preflight = preflight;
        this.clock = clock;
    }

    /** One probe cycle over all targets now, with each target's observation and decision (the FaaS timer entry). */
    @Funq("check")
    public Map<String, Object> check(Map<String, Object> ignored) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance", keeper.instanceId());
        out.put("targets", checker.cycle());
        return out;
    }

    /** GET /status?target= */
    @Funq("status")
    public Map<String, Object> status(ActionsFunction.Query query) {
        String only = query == null ? null : query.target();
        List<Target> shown = new ArrayList<>();
        if (only != null && !only.isEmpty()) {
            shown.add(known(Inputs.targetName(only, true)));
        } else {
            shown.addAll(targets.all());
        }
        Map<String, ActionStore.Lock> locks = new LinkedHashMap<>();
        journal.locks().forEach(l -> locks.put(l.target(), l));
        JdbcShardStore.Members members = shards.members();
        Map<Integer, Lease> owners = new LinkedHashMap<>();
        shards.leases().stream().filter(l -> l.expiresAt().isAfter(members.now()))
                .forEach(l -> owners.put(JdbcShardStore.shardNumber(l), l));
        List<Map<String, Object>> list = new ArrayList<>();
        List<Map<String, Object>> pauses = new ArrayList<>();
        for (Target t : shown) {
            Map<String, Object> m = targetStatus(t);
            m.put("lock", lock(locks.get(t.name()), members));
            int shard = shards.shardOf(t.name());
            m.put("shard", shard);
            // The replica that runs this target's automatic decisions now (null: nobody, until a replica claims it).
            m.put("owner", owners.containsKey(shard) ? owners.get(shard).holder() : null);
            list.add(m);
            if (m.get("pause") instanceof Map<?, ?> p) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("target", t.name());
                p.forEach((k, v) -> row.put(String.valueOf(k), v));
                pauses.add(row);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        // leader and lease are the coordinator lease's (schedules, drill plans); targets are acted on by shard owners.
        out.put("instance", Map.of("id", keeper.instanceId(), "leader", keeper.isLeader()));
        Map<String, Object> lease = new LinkedHashMap<>();
        keeper.lease().ifPresent(l -> {
            lease.put("holder", l.holder());
            lease.put("epoch", l.epoch());
            lease.put("since", l.since());
            lease.put("expiresAt", l.expiresAt());
        });
        out.put("lease", lease);
        out.put("shards", shardsSummary(members, owners));
        out.put("dryRun", config.dryRun());
        out.put("budget", budget());
        // Approval mode's requests waiting for an operator, oldest first.
        out.put("approvals", approvals.pending());
        // Pending, delivered and dead-lettered events per sink, and the latest dead ones.
        out.put("notifications", notifications.status());
        // Every pause in force, oldest first: a forgotten one should stand out.
        pauses.sort(java.util.Comparator.comparing(p -> (Instant) p.get("since")));
        out.put("pauses", pauses);
        out.put("targets", list);
        return out;
    }

    /**
     * POST /pause {"target", "reason", "until" (ISO instant) | "for" (duration: "2h", "30m", "PT2H")}: no automatic
     * action until resumed or until then. Journaled with the caller's key label.
     */
    @Funq("pause")
    public Map<String, Object> pause(Map<String, Object> body) {
        List<Target> chosen = chosen(body);
        String reason = reason(body);
        Instant until = until(body);
        String by = callers.current();
        chosen.forEach(t -> checker.pause(t, by, reason, until));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("paused", chosen.stream().map(Target::name).toList());
        out.put("reason", reason == null ? "" : reason);
        out.put("by", by);
        out.put("until", until);
        return out;
    }

    @Funq("resume")
    public Map<String, Object> resume(Map<String, Object> body) {
        List<Target> chosen = chosen(body);
        String reason = reason(body);
        String by = callers.current();
        chosen.forEach(t -> checker.resume(t, by, reason));
        return Map.of("resumed", chosen.stream().map(Target::name).toList(), "by", by);
    }

    /** The pause's end: an ISO instant after now, or a positive duration from now; neither = until resumed. */
    private Instant until(Map<String, Object> body) {
        Object until = body == null ? null : body.get("until");
        Object span = body == null ? null : body.get("for");
        if (until != null && span != null) {
            throw ApiException.badRequest("until, for: send one of them, not both");
        }
        if (until != null && !(until instanceof String)) {
            throw ApiException.badRequest("until: must be a string, an ISO-8601 instant such as 2026-05-01T18:00:00Z");
        }
        if (span != null && !(span instanceof String)) {
            throw ApiException.badRequest("for: must be a string, a duration such as 2h, 30m or PT2H");
        }
        Instant now = clock.instant();
        if (until != null) {
            Instant at;
            try {
                at = Instant.parse(String.valueOf(until));
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("until: must be an ISO-8601 instant such as 2026-05-01T18:00:00Z");
            }
            if (!at.isAfter(now)) {
                throw ApiException.badRequest("until: " + at + " is not in the future");
            }
            return at;
        }
        if (span != null) {
            Duration d;
            try {
                d = DurationConverter.parseDuration(String.valueOf(span));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("for: must be a duration such as 2h, 30m or PT2H");
            }
            if (d == null || d.isNegative() || d.isZero()) {
                throw ApiException.badRequest("for: must be a positive duration");
            }
            return now.plus(d);
        }
        return null;
    }

    /** Who owns what: the shard count, this replica's shards, each live replica's count and each shard's term. */
    private Map<String, Object> shardsSummary(JdbcShardStore.Members members, Map<Integer, Lease> owners) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", shards.shards());
        m.put("owned", shards.owned());
        List<Map<String, Object>> replicas = new ArrayList<>();
        for (JdbcShardStore.Member r : members.live()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.id());
            row.put("shards", owners.values().stream().filter(l -> l.heldBy(r.id())).count());
            row.put("joinedAt", r.joinedAt());
            replicas.add(row);
        }
        m.put("replicas", replicas);
        m.put("unowned", java.util.stream.IntStream.range(0, shards.shards()).filter(i -> !owners.containsKey(i))
                .boxed().toList());
        List<Map<String, Object>> terms = new ArrayList<>();
        owners.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("shard", e.getKey());
            row.put("holder", e.getValue().holder());
            row.put("epoch", e.getValue().epoch());
            row.put("since", e.getValue().since());
            row.put("expiresAt", e.getValue().expiresAt());
            terms.add(row);
        });
        m.put("leases", terms);
        return m;
    }

    /** The fleet-wide failover budget: how much is used, whether automatic action is braked, the last reset. */
    private Map<String, Object> budget() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", budget.enabled());
        if (!budget.enabled()) {
            return m;
        }
        Instant now = clock.instant();
        m.putAll(budget(budget.read(now)));
        m.put("reset", "POST /budget/reset {\"reason\"} (a group's: {\"group\",\"reason\"})");
        m.put("groups", budget.groups().stream().flatMap(g -> budget.readGroup(g, now).stream()).map(b -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("group", b.group());
            row.putAll(budget(b));
            return row;
        }).toList());
        return m;
    }

    private Map<String, Object> budget(Budget b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxAutomatic", b.max());
        m.put("window", b.window().toString());
        m.put("used", b.used());
        m.put("braked", b.braked());
        m.put("brakedAt", b.brakedAt());
        m.put("brakedBecause", b.brakedBecause());
        m.put("lastReset", budget.lastReset(b.group()).orElse(null));
        return m;
    }

    /** The pause as /status shows it: who, why, since when, how long so far, until when. Null when not paused. */
    private Map<String, Object> pause(Pause p) {
        if (p == null) {
            return null;
        }
        Instant now = clock.instant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("by", p.by());
        m.put("reason", p.reason());
        m.put("since", p.at());
        m.put("ageSeconds", p.age(now).toSeconds());
        m.put("until", p.until());
        m.put("expired", p.expired(now));
        m.put("remindedAt", p.remindedAt());
        return m;
    }

    private Map<String, Object> targetStatus(Target t) {
        StateStore.Saved saved = states.load(t.name()).orElse(new StateStore.Saved(TargetState.initial(), null, null));
        TargetState s = saved.state();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", t.name());
        m.put("kind", t.kind().id());
        m.put("auto", t.auto());
        m.put("watched", t.probe() != null);
        m.put("healthy", s.healthy());
        m.put("paused", s.paused());
        m.put("pauseReason", s.pauseReason());
        m.put("pausedAt", s.pausedAt());
        m.put("pause", pause(s.pause()));
        m.put("failureStreak", s.failures());
        m.put("breachCount", s.breaches());
        m.put("lastActionAt", s.lastActionAt());
        // The cooldown guard's window as the status page shows it: ISO-8601 length, and its end after the last action.
        m.put("cooldown", t.cooldown().toString());
        m.put("cooldownUntil", s.lastActionAt() == null ? null : s.lastActionAt().plus(t.cooldown()));
        // The store has the last counted probe only from the last change of state; this replica knows a later one.
        m.put("lastProbeAt", checker.lastCounted(t.name()).filter(at -> saved.lastProbeAt() == null
                || at.isAfter(saved.lastProbeAt())).orElse(saved.lastProbeAt()));
        observer.latest(t.name()).ifPresent(seen -> {
            var o = seen.observation();
            Map<String, Object> lag = new LinkedHashMap<>();
            if (o.dataPlane() != null && o.dataPlane().lagBytes() != null) {
                lag.put("bytes", o.dataPlane().lagBytes());
            }
            if (o.cloud() != null && o.cloud().lag() != null) {
                lag.put("seconds", o.cloud().lag().toSeconds());
            }
            if (o.cloud() != null && o.cloud().lastSync() != null) {
                lag.put("lastSync", o.cloud().lastSync());
            }
            m.put("lag", lag);
            m.put("signals", new Checker.Signals(o.dataPlane(), o.cloud(), o.standby(), seen.cloudApiFailed(),
                    seen.notRun()));
        });
        m.put("lastDecision", json(saved.lastDecision()));
        List<Action> last = journal.list(t.name(), 1);
        m.put("lastAction", last.isEmpty() ? null : last.get(0).withSteps(List.of()));
        m.put("group", t.group());
        m.put("approval", approval(t));
        // This replica's last preflight of the target; null until one ran.
        m.put("preflight", preflight.latest(t.name()).map(Preflight::view).orElse(null));
        return m;
    }

    /** auto: approve: the deadline rule and the request waiting for an answer; null when not in approval mode. */
    private Map<String, Object> approval(Target t) {
        if (t.approval() == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timeout", t.approval().timeout().toString());
        m.put("onTimeout", t.approval().onTimeout());
        m.put("pending", approvals.pending(t.name()));
        return m;
    }

    /** Why a target is locked and until when, and how an operator may end it (POST /resolve). Null when free. */
    private Map<String, Object> lock(ActionStore.Lock lock, JdbcShardStore.Members members) {
        if (lock == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("actionId", lock.owner());
        m.put("since", lock.acquiredAt());
        m.put("until", lock.expiresAt());
        // A holder no longer among the live replicas cannot end the lock: only its expiry, or an operator, will.
        m.put("heldBy", lock.holder());
        m.put("holderLive", lock.holder() == null ? null
                : members.live().stream().anyMatch(r -> r.id().equals(lock.holder())));
        m.put("why", journal.find(lock.owner())
                .map(a -> (a.finished() ? "action ended " : "action in flight: ") + a.status() + "/" + a.verification()
                        + (a.detail() != null ? ": " + a.detail() : ""))
                .orElse("held by " + lock.owner()));
        m.put("resolve", "POST /resolve {\"target\",\"actionId\",\"outcome\":\"SUCCEEDED|FAILED|RELEASE\",\"reason\"}");
        return m;
    }

    private JsonNode json(String text) {
        try {
            return text == null ? null : mapper.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private List<Target> chosen(Map<String, Object> body) {
        Object name = body == null ? null : body.get("target");
        if (name == null) {
            return List.copyOf(targets.all());
        }
        return List.of(known(Inputs.targetName(name, true)));
    }

    private static String reason(Map<String, Object> body) {
        Object r = body == null ? null : body.get("reason");
        if (r != null && !(r instanceof String)) {
            throw ApiException.badRequest("reason: must be a string");
        }
        if (r != null && ((String) r).length() > 500) {
            throw ApiException.badRequest("reason: at most 500 characters");
        }
        return (String) r;
    }

    private Target known(String name) {
        return targets.find(name).orElseThrow(() -> ApiException.notFound("unknown target '" + name + "'"));
    }
}
