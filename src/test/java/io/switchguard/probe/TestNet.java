package io.switchguard.probe;

import io.vertx.core.Vertx;

/** The probes' network for tests outside Quarkus: one Vert.x instance for the whole test run. */
public final class TestNet {

    public static final Net NET = new Net(Vertx.vertx());

    private TestNet() {}
}
