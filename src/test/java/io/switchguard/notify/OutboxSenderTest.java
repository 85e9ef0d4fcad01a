package io.switchguard.notify;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchguard.store.OutboxEntry;
import io.switchguard.store.OutboxEntry.State;
import io.switchguard.store.OutboxEvent;
import io.switchguard.store.OutboxStore;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender against a real HTTP receiver and an H2 file outbox: retries, order, dead letters, restarts, signature. */
class OutboxSenderTest {

    static final String SECRET = "webhook-secret-for-tests";
    static final Instant T0 = Instant.parse("2026-03-01T10:15:30Z");
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    TestReceiver receiver;
    JdbcConnectionPool pool;
    OutboxStore outbox;
    SimpleMeterRegistry registry;
    final List<OutboxSender> senders = new ArrayList<>();

    @BeforeEach
    void setUp() {
        receiver = TestReceiver.start();
        openStore();
    }

    @AfterEach
    void tearDown() throws SQLException {
        senders.forEach(OutboxSender::close);
        receiver.close();
        closeStore();
    }

    void openStore() {
        pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("switchguard"), "sa", "");
        pool.setMaxConnections(20);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        outbox = new OutboxStore(pool, List.of(Sink.WEBHOOK), "/switchguard/test-host");
    }

    void closeStore() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
        pool.dispose();
    }

    OutboxSender sender(Duration maxAge) {
        WebhookSink webhook = new WebhookSink(URI.create(receiver.url()), SECRET, Duration.ofMillis(500),
                Duration.ofSeconds(1));
        OutboxSender.Settings settings = new OutboxSender.Settings(Duration.ofMillis(50), 4,
                new Backoff(Duration.ofMillis(100), Duration.ofMillis(400)), maxAge, Duration.ofSeconds(5),
                Duration.ofDays(7));
        registry = new SimpleMeterRegistry();
        OutboxSender sender = new OutboxSender(outbox, List.of(webhook), settings, registry, "test-" + senders.size());
        outbox.onEnqueued(sender::wake);
        senders.add(sender);
        sender.start();
        return sender;
    }

    OutboxSender sender() {
        return sender(Duration.ofHours(24));
    }

    static OutboxEvent event(String id, String target) {
        return new OutboxEvent(id, "io.switchguard.action.succeeded", target, T0, "{\"actionId\":\"" + id + "\"}");
    }

    double counter(String name) {
        return registry.get(name).tag("sink", "webhook").counter().count();
    }

    List<String> acceptedIds() {
        return receiver.accepted().stream().map(r -> r.event().getId()).toList();
    }

    /**
     * Two events of one target written in transactions that commit together (the follower's outcome, the checker's
     * recovery): each insert saw no pending row of the queue, the other's not being committed yet, and both were
     * handed to the sender at once, which sent them side by side, in either order. The second now waits for the
     * first, as the poll's rows do.
     */
    @Test
    void twoEventsOfOneTargetCommittedTogetherAreSentOneAfterTheOther() throws Exception {
        sender();
        receiver.hang();
        try (Connection one = pool.getConnection(); Connection two = pool.getConnection()) {
            one.setAutoCommit(false);
            two.setAutoCommit(false);
            OutboxStore.Inserted first = outbox.insert(one, event("e-first", "orders-cache"));
            OutboxStore.Inserted second = outbox.insert(two, event("e-second", "orders-cache"));
            one.commit();
            two.commit();
            outbox.enqueued(first);
            outbox.enqueued(second);
        }
        await().atMost(WAIT).until(() -> receiver.hanging() >= 1);
        Thread.sleep(500);
        assertEquals(1, receiver.hanging(), "both events of orders-cache were out at once");

        receiver.release();
        await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
        assertEquals(List.of("e-first", "e-second"), acceptedIds());
    }

    @Test
    void deliversTheEventWithTheOutboxIdContentTypeAndAVerifyingSignature() {
        sender();
        outbox.enqueue(event("e-1", "orders-cache"));

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
        TestReceiver.Request r = receiver.accepted().get(0);
        assertEquals("application/cloudevents+json", r.header("Content-Type"));
        assertEquals("e-1", r.event().getId());
        assertEquals("orders-cache", r.event().getSubject());
        assertEquals(URI.create("/switchguard/test-host"), r.event().getSource());
        assertTrue(WebhookSignature.verify(SECRET, r.body(), r.header(WebhookSignature.HEADER)));
        assertFalse(WebhookSignature.verify("another-secret", r.body(), r.header(WebhookSignature.HEADER)));
        byte[] tampered = r.body().clone();
        tampered[tampered.length - 2] ^= 1;
        assertFalse(WebhookSignature.verify(SECRET, tampered, r.header(WebhookSignature.HEADER)));

        await().atMost(WAIT).until(() -> outbox.find("e-1").get(0).state() == State.DELIVERED);
        assertEquals(1.0, counter("switchguard.notifications.delivered"));
    }

    @Test
    void aReceiverAnswering500GetsTheSameEventOnceItRecovers() {
        receiver.answer(500);
        sender();
        outbox.enqueue(event("e-1", "orders-cache"));

        await().atMost(WAIT).until(() -> receiver.requests().size() >= 3);
        assertTrue(receiver.accepted().isEmpty());
        receiver.answer(204);

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
        assertEquals(List.of("e-1"), receiver.requests().stream().map(r -> r.event().getId()).distinct().toList(),
                "every attempt carries the same id");
        await().atMost(WAIT).until(() -> outbox.find("e-1").get(0).state() == State.DELIVERED);
        OutboxEntry row = outbox.find("e-1").get(0);
        assertEquals(receiver.requests().size(), row.attempts());
        assertTrue(counter("switchguard.notifications.failed.attempts") >= 2);
    }

    @Test
    void aReceiverThatIsDownGetsTheEventWhenItComesBack() throws Exception {
        int port = receiver.port();
        receiver.down();
        sender();
        outbox.enqueue(event("e-1", "orders-cache"));

        await().atMost(WAIT).until(() -> outbox.find("e-1").get(0).attempts() >= 3);
        assertTrue(outbox.find("e-1").get(0).lastError().contains("ConnectException"),
                outbox.find("e-1").get(0).lastError());
        receiver.listen(port);

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
        assertEquals("e-1", receiver.accepted().get(0).event().getId());
    }

    @Test
    void aTargetsEventsArriveInOrderAcrossRetriesWhileOtherTargetsFlow() {
        receiver.answer(503);
        OutboxSender sender = sender();
        outbox.enqueue(event("cache-1", "cache"));
        outbox.enqueue(event("cache-2", "cache"));
        outbox.enqueue(event("cache-3", "cache"));
        await().atMost(WAIT).until(() -> receiver.requests().size() >= 3);
        assertEquals(List.of("cache-1"), receiver.requests().stream().map(r -> r.event().getId()).distinct().toList(),
                "nothing overtakes the failing head of the queue");
        assertEquals(3L, sender.counts().get("webhook").pending());

        receiver.answer(200);
        await().atMost(WAIT).until(() -> receiver.accepted().size() == 3);
        assertEquals(List.of("cache-1", "cache-2", "cache-3"), acceptedIds());
    }

    @Test
    void anEventOlderThanMaxAgeIsDeadCountedAndShown() {
        receiver.answer(500);
        OutboxSender sender = sender(Duration.ofMillis(600));
        outbox.enqueue(event("e-1", "orders-cache"));

        await().atMost(WAIT).until(() -> outbox.find("e-1").get(0).state() == State.DEAD);
        assertEquals(1.0, counter("switchguard.notifications.dead"));
        assertEquals(1L, sender.counts().get("webhook").dead());
        assertEquals(0L, sender.counts().get("webhook").pending());
        await().atMost(WAIT).until(() -> registry.get("switchguard.notifications.pending").gauge().value() == 0.0);
        int attempts = receiver.requests().size();
        assertTrue(attempts >= 2, "retried before giving up: " + attempts);
        assertEquals(attempts, outbox.find("e-1").get(0).attempts());
    }

    @Test
    void pendingEventsSurviveARestart() throws SQLException {
        int port = receiver.port();
        receiver.down();
        OutboxSender first = sender();
        outbox.enqueue(event("e-1", "orders-cache"));
        outbox.enqueue(event("e-2", "erp-db"));
        await().atMost(WAIT).until(() -> outbox.find("e-1").get(0).attempts() >= 1);
        first.close();
        closeStore();

        // A new process: a new store and sender over the same database file, and the receiver back up.
        receiver.listen(port);
        openStore();
        sender();

        await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
        assertEquals(List.of("e-1", "e-2"), acceptedIds().stream().sorted().toList());
    }

    @Test
    void aHangingReceiverDoesNotHoldUpTheEnqueuer() {
        receiver.hang();
        sender();
        outbox.enqueue(event("e-0", "cache"));
        await().atMost(WAIT).until(() -> outbox.find("e-0").get(0).attempts() >= 1);

        long start = System.nanoTime();
        for (int i = 1; i <= 20; i++) {
            outbox.enqueue(event("e-" + i, "t-" + i));
        }
        long perEnqueueMs = (System.nanoTime() - start) / 20 / 1_000_000;
        assertTrue(perEnqueueMs < 50, "enqueue took " + perEnqueueMs + " ms while the receiver hangs");
        receiver.release();
    }
}
