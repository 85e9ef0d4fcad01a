package io.switchguard.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.funqy.Funq;
import io.switchguard.check.Checker;
import io.switchguard.check.Observer;
import io.switchguard.check.StateStore;
import io.switchguard.config.SwitchguardConfig;
import io.switchguard.config.Target;
import io.switchguard.config.Targets;
import io.switchguard.http.ApiException;
import io.switchguard.notify.Notifications;
import io.switchguard.policy.TargetState;
import io.switchguard.store.ActionStore;
import io.switchguard.store.LeaseKeeper;
import io.switchguard.switchover.Action;
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
    private final Notifications notifications;
    private final SwitchguardConfig config;
    private final ObjectMapper mapper;

    public CheckFunctions(Checker checker, Observer observer, StateStore states, ActionStore journal, Targets targets,
            LeaseKeeper keeper, Notifications notifications, SwitchguardConfig config, ObjectMapper mapper) {
        this.checker = checker;
        this.observer = observer;
        this.states = states;
        this.journal = journal;
        this.targets = targets;
        this.keeper = keeper;
        this.notifications = notifications;
        this.config = config;
        this.mapper = mapper;
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
        List<Map<String, Object>> list = new ArrayList<>();
        for (Target t : shown) {
            Map<String, Object> m = targetStatus(t);
            m.put("lock", lock(locks.get(t.name())));
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance", Map.of("id", keeper.instanceId(), "leader", keeper.isLeader()));
        Map<String, Object> lease = new LinkedHashMap<>();
        keeper.lease().ifPresent(l -> {
            lease.put("holder", l.holder());
            lease.put("epoch", l.epoch());
            lease.put("since", l.since());
            lease.put("expiresAt", l.expiresAt());
        });
        out.put("lease", lease);
        out.put("dryRun", config.dryRun());
        // Pending, delivered and dead-lettered events per sink, and the latest dead ones.
        out.put("notifications", notifications.status());
        out.put("targets", list);
        return out;
    }

    @Funq("pause")
    public Map<String, Object> pause(Map<String, Object> body) {
        List<Target> chosen = chosen(body);
        String reason = reason(body);
        chosen.forEach(t -> checker.pause(t, reason));
        return Map.of("paused", chosen.stream().map(Target::name).toList(), "reason", reason == null ? "" : reason);
    }

    @Funq("resume")
    public Map<String, Object> resume(Map<String, Object> body) {
        List<Target> chosen = chosen(body);
        chosen.forEach(checker::resume);
        return Map.of("resumed", chosen.stream().map(Target::name).toList());
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
        m.put("failureStreak", s.failures());
        m.put("breachCount", s.breaches());
        m.put("lastActionAt", s.lastActionAt());
        // The cooldown guard's window as the status page shows it: ISO-8601 length, and its end after the last action.
        m.put("cooldown", t.cooldown().toString());
        m.put("cooldownUntil", s.lastActionAt() == null ? null : s.lastActionAt().plus(t.cooldown()));
        m.put("lastProbeAt", saved.lastProbeAt());
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
        return m;
    }

    /** Why a target is locked and until when, and how an operator may end it (POST /resolve). Null when free. */
    private Map<String, Object> lock(ActionStore.Lock lock) {
        if (lock == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("actionId", lock.owner());
        m.put("since", lock.acquiredAt());
        m.put("until", lock.expiresAt());
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
