package io.switchguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The suite's ports for later binds: never from the kernel's ephemeral range, never the same one twice. */
class TestPortsTest {

    @Test
    void portsAreBelowTheEphemeralRangeAndNeverRepeat() throws Exception {
        // Linux's default ephemeral range starts at 32768 (this machine's too).
        int ephemeralFrom = 32_768;
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int port = TestPorts.free();
            assertTrue(port < ephemeralFrom, port + " is inside the ephemeral range from " + ephemeralFrom);
            assertTrue(seen.add(port), port + " was given twice");
            // Free when given: the caller's server can bind it (the port is released again at once).
            try (ServerSocket s = new ServerSocket(port, 1)) {
                assertEquals(port, s.getLocalPort());
            }
        }
    }

    @Test
    void aPortInUseIsNotGiven() throws Exception {
        Set<ServerSocket> held = new HashSet<>();
        try {
            // Hold a stretch of the range; none of it may come back.
            for (int port = 20_000; port < 20_050; port++) {
                try {
                    held.add(new ServerSocket(port, 1));
                } catch (IOException alreadyTaken) {
                    // someone else holds it: just as good
                }
            }
            for (int i = 0; i < 300; i++) {
                int port = TestPorts.free();
                assertTrue(held.stream().noneMatch(s -> s.getLocalPort() == port), "gave a port in use: " + port);
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
