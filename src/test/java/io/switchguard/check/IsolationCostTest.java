package io.switchguard.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchguard.policy.Observation;
import io.switchguard.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Isolation is judged once per decided batch over every target's latest view. With 10,000 targets and batches of a
 * few checks each, walking (and copying) every view each time was the deciding thread's main cost (issue #13).
 */
class IsolationCostTest {

    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void aHealthyFleetIsSettledByItsFirstAnsweringTargetNotByWalkingAllOfIt() {
        List<Observer.Seen> fleet = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            fleet.add(seen(ProbeResult.up("PONG", Duration.ofMillis(1))));
        }
        Counted views = new Counted(fleet);
        assertFalse(Checker.isolated(views));
        assertEquals(1, views.read, "views read to know the checker is not isolated");
    }

    @Test
    void everyTargetFailingStillReadsThemAllAndIsIsolation() {
        List<Observer.Seen> fleet = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            fleet.add(seen(ProbeResult.down("connection refused", Duration.ofMillis(1))));
        }
        Counted views = new Counted(fleet);
        assertTrue(Checker.isolated(views));
        assertEquals(1_000, views.read);
    }

    @Test
    void oneAnsweringTargetAfterManyFailingOnesIsNoIsolation() {
        List<Observer.Seen> fleet = new ArrayList<>();
        for (int i = 0; i < 999; i++) {
            fleet.add(seen(ProbeResult.down("connection refused", Duration.ofMillis(1))));
        }
        fleet.add(seen(ProbeResult.up("PONG", Duration.ofMillis(1))));
        assertFalse(Checker.isolated(fleet));
    }

    private static Observer.Seen seen(ProbeResult dataPlane) {
        return new Observer.Seen(new Observation(AT, dataPlane, null, null), false, List.of());
    }

    /** The views as the observer hands them out, counting how many the judgement reads. */
    private static final class Counted extends AbstractCollection<Observer.Seen> {
        private final List<Observer.Seen> all;
        int read;

        Counted(List<Observer.Seen> all) {
            this.all = all;
        }

        @Override
        public Iterator<Observer.Seen> iterator() {
            Iterator<Observer.Seen> it = all.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Observer.Seen next() {
                    read++;
                    return it.next();
                }
            };
        }

        @Override
        public int size() {
            return all.size();
        }
    }
}
