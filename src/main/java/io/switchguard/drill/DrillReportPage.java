package io.switchguard.drill;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * GET /drill-report.html?id=: the drill's report as one self-contained HTML page (no script, no external files)
 * that a person can save and attach to an audit: the outcome, the figures, the guards, a timeline chart (inline
 * SVG) and every step. Behind the API key like every route (http/HttpGuards); Funqy answers JSON only, hence a
 * route of its own.
 */
@ApplicationScoped
public class DrillReportPage {

    private static final int WIDTH = 900;
    private static final int LEFT = 150;

    private final DrillService drills;

    public DrillReportPage(DrillService drills) {
        this.drills = drills;
    }

    void install(@Observes Router router) {
        // The store read blocks: off the event loop.
        router.get("/drill-report.html").blockingHandler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        String id = ctx.request().getParam("id");
        Optional<DrillReport> found = id == null || !DrillInputs.ID.matcher(id).matches() ? Optional.empty()
                : drills.find(id);
        if (found.isEmpty()) {
            ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("no drill '" + (id == null ? "" : id.replaceAll("[^A-Za-z0-9_-]", "")) + "'\n");
            return;
        }
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(render(found.get()));
    }

    static String render(DrillReport r) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Drill ").append(esc(r.id()))
                .append("</title><style>body{font:14px sans-serif;margin:2em;max-width:960px}table{border-collapse:"
                        + "collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;"
                        + "vertical-align:top}.ok{color:#1a7f37}.no{color:#cf222e}</style></head><body>");
        h.append("<h1>Drill of ").append(esc(r.target())).append(" (").append(esc(r.kind())).append(")</h1>");
        h.append("<p><b class=\"").append(r.state() == DrillReport.State.SUCCEEDED ? "ok" : "no").append("\">")
                .append(r.state()).append("</b> ").append(esc(r.detail())).append("</p>");
        h.append("<table><tr><th>drill</th><td>").append(esc(r.id())).append("</td></tr><tr><th>reason</th><td>")
                .append(esc(r.reason())).append("</td></tr><tr><th>started</th><td>").append(r.startedAt())
                .append(r.startedBy() != null ? " by " + esc(r.startedBy()) : "")
                .append("</td></tr><tr><th>finished</th><td>").append(r.finishedAt() == null ? "running"
                        : r.finishedAt()).append("</td></tr><tr><th>hold</th><td>").append(r.holdMillis() / 1000)
                .append(" s</td></tr>");
        for (DrillReport.Leg leg : legs(r)) {
            h.append("<tr><th>RTO ").append(esc(leg.direction())).append("</th><td>").append(leg.rtoMillis() == null
                    ? "not verified (" + esc(leg.status()) + ")" : leg.rtoMillis() + " ms").append(" (call ")
                    .append(leg.calledAt()).append(" to verified ").append(leg.verifiedAt()).append(")</td></tr>");
            DrillReport.Unavailability u = leg.unavailability();
            if (u != null) {
                h.append("<tr><th>data plane ").append(esc(leg.direction())).append("</th><td>")
                        .append(u.millis() == null ? "no good probe after the first failure" : u.millis() + " ms")
                        .append(" unavailable as probed (").append(u.failedProbes()).append(" of ").append(u.probes())
                        .append(" probes failed, one every ").append(u.probeEveryMillis()).append(" ms)</td></tr>");
            }
        }
        if (r.rpo() != null) {
            h.append("<tr><th>RPO at the switch</th><td>").append(esc(r.rpo().detail())).append("</td></tr>");
        }
        h.append("</table>");
        chart(h, r);
        h.append("<h2>Blocking checks</h2><table><tr><th>check</th><th>result</th><th>detail</th></tr>");
        for (DrillReport.Guard g : r.guards()) {
            h.append("<tr><td>").append(esc(g.name())).append("</td><td class=\"").append(g.passed() ? "ok\">passed"
                    : "no\">failed").append("</td><td>").append(esc(g.detail())).append("</td></tr>");
        }
        h.append("</table><h2>Timeline</h2><table><tr><th>at</th><th>step</th><th>detail</th></tr>");
        for (DrillReport.Step s : r.timeline()) {
            h.append("<tr><td>").append(s.at()).append("</td><td>").append(esc(s.name())).append("</td><td>")
                    .append(esc(s.detail())).append("</td></tr>");
        }
        return h.append("</table></body></html>\n").toString();
    }

    /** One row per phase on a shared time axis: each switch (call to verified), the hold, each outage as probed. */
    private static void chart(StringBuilder h, DrillReport r) {
        Instant start = r.startedAt();
        Instant end = r.finishedAt() != null ? r.finishedAt() : r.timeline().get(r.timeline().size() - 1).at();
        long span = Math.max(1, Duration.between(start, end).toMillis());
        List<String[]> rows = new ArrayList<>();
        for (DrillReport.Leg leg : legs(r)) {
            if (leg.calledAt() != null) {
                rows.add(new String[] {"switch " + leg.direction(), leg.calledAt().toString(),
                        (leg.verifiedAt() != null ? leg.verifiedAt() : end).toString(), "#0969da"});
            }
            DrillReport.Unavailability u = leg.unavailability();
            if (u != null && u.firstFailedAt() != null) {
                rows.add(new String[] {"unavailable " + leg.direction(), u.firstFailedAt().toString(),
                        (u.firstGoodAt() != null ? u.firstGoodAt() : end).toString(), "#cf222e"});
            }
        }
        Instant holdFrom = stepAt(r, "hold");
        if (holdFrom != null) {
            Instant holdTo = Optional.ofNullable(stepAt(r, "hold.passed")).or(() -> Optional.ofNullable(
                    stepAt(r, "hold.interrupted"))).or(() -> Optional.ofNullable(stepAt(r, "hold.handed-over")))
                    .orElse(end);
            rows.add(new String[] {"hold", holdFrom.toString(), holdTo.toString(), "#1a7f37"});
        }
        int height = 30 + rows.size() * 28;
        h.append("<h2>Timeline chart</h2><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"drill timeline\">");
        int axis = WIDTH - LEFT - 20;
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            long from = Duration.between(start, Instant.parse(row[1])).toMillis();
            long to = Duration.between(start, Instant.parse(row[2])).toMillis();
            int x = LEFT + (int) (axis * from / span);
            int w = Math.max(2, (int) (axis * (to - from) / span));
            int y = 10 + i * 28;
            h.append("<text x=\"0\" y=\"").append(y + 14).append("\">").append(esc(row[0])).append("</text>")
                    .append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(w)
                    .append("\" height=\"18\" fill=\"").append(row[3]).append("\"><title>").append(esc(row[0]))
                    .append(": ").append(to - from).append(" ms</title></rect>");
        }
        h.append("<text x=\"").append(LEFT).append("\" y=\"").append(height - 4).append("\">0 s</text><text x=\"")
                .append(WIDTH - 80).append("\" y=\"").append(height - 4).append("\">").append(span / 1000.0)
                .append(" s</text></svg>");
    }

    private static List<DrillReport.Leg> legs(DrillReport r) {
        List<DrillReport.Leg> legs = new ArrayList<>();
        if (r.away() != null) {
            legs.add(r.away());
        }
        if (r.back() != null) {
            legs.add(r.back());
        }
        return legs;
    }

    private static Instant stepAt(DrillReport r, String name) {
        return r.timeline().stream().filter(s -> s.name().equals(name)).map(DrillReport.Step::at).findFirst()
                .orElse(null);
    }

    private static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
