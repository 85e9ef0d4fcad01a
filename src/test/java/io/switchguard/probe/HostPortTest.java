package io.switchguard.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @Test
    void hostNameAndPort() {
        assertEquals(new HostPort("redis.internal", 6379), HostPort.parse("redis.internal:6379"));
        assertEquals(new HostPort("10.0.0.5", 6380), HostPort.parse(" 10.0.0.5:6380 "));
    }

    @Test
    void bracketedIpv6AndPort() {
        HostPort hp = HostPort.parse("[fd00::5]:6379");

        assertEquals(new HostPort("fd00::5", 6379), hp);
        assertEquals("[fd00::5]:6379", hp.toString(), "written back the way it is read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "redis", "redis:", ":6379", "fd00::5:6379", "[fd00::5]", "[fd00::5]6379", "redis:0",
            "redis:65536", "redis:63x9"})
    void anythingElseIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text));
    }
}
