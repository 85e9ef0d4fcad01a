package io.switchguard.ui;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The status page is static (META-INF/resources/ui/): HTML and a script that polls /status and /actions with the
 * operator's key. Only /ui needs a route, to the directory's index.
 */
@ApplicationScoped
public class StatusPage {

    void install(@Observes Router router) {
        // Vert.x matches /ui/ on this route too: only the bare path is redirected, the rest goes on to the files.
        router.get("/ui").handler(ctx -> {
            if (ctx.request().path().equals("/ui")) {
                ctx.redirect("/ui/");
            } else {
                ctx.next();
            }
        });
    }
}
