package io.switchguard.probe;

import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The probes' network on the Vert.x instance Quarkus already runs: no event loop of our own. */
@ApplicationScoped
public class NetProducer {

    @Produces
    @Singleton
    Net net(Vertx vertx) {
        return new Net(vertx);
    }
}
