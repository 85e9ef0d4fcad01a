package io.switchguard.function;

import io.quarkus.funqy.Funq;
import io.switchguard.action.Action;
import io.switchguard.config.Targets;
import io.switchguard.http.ApiException;
import io.switchguard.store.ActionStore;
import java.util.List;

/** GET /actions?target=&limit=: the journal, newest first. */
public class ActionsFunction {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private final ActionStore store;
    private final Targets targets;

    public ActionsFunction(ActionStore store, Targets targets) {
        this.store = store;
        this.targets = targets;
    }

    /** Query parameters; Funqy fills GET input through setters, as strings so a bad number is our 400. */
    public static class Query {
        private String target;
        private String limit;

        public void setTarget(String target) {
            this.target = target;
        }

        public void setLimit(String limit) {
            this.limit = limit;
        }

        String target() {
            return target;
        }
    }

    @Funq("actions")
    public List<Action> actions(Query query) {
        String target = query == null || query.target == null || query.target.isEmpty()
                ? null : Inputs.targetName(query.target, false);
        if (target != null && targets.find(target).isEmpty()) {
            throw ApiException.notFound("unknown target '" + target + "'");
        }
        return store.list(target, limit(query == null ? null : query.limit));
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("limit: must be a whole number from 1 to " + MAX_LIMIT);
    }
}
