package io.switchguard.probe;

/** A host and a port as configured: {@code host:port}, {@code 10.0.0.5:6379}, or {@code [fd00::5]:6379} for IPv6. */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
    }

    /** Throws IllegalArgumentException on anything else: configuration is validated at startup, so this is a bug. */
    public static HostPort parse(String text) {
        String s = text == null ? "" : text.trim();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + s + "' is not [ipv6]:port");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            // A bare IPv6 address has several colons: which one starts the port is a guess, so refuse.
            if (colon < 0 || s.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + s + "' is not host:port (write IPv6 as [addr]:port)");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("'" + s + "' has no numeric port");
        }
        return new HostPort(host, Integer.parseInt(port));
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
