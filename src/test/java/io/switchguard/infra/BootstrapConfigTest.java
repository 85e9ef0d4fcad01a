package io.switchguard.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the app started by infra/functiongraph/bootstrap (the image's entry point and the HTTP function's) is
 * configured with: the operator's store URL, from a file named in QUARKUS_CONFIG_LOCATIONS as from the environment,
 * and otherwise the app's own default, in a writable directory. The java here is a stub that reports what a JVM
 * would see: its working directory, the environment, and the config files it can open from there.
 */
class BootstrapConfigTest {

    static final Path BOOTSTRAP = Path.of("infra/functiongraph/bootstrap").toAbsolutePath();

    @TempDir
    Path tmp;

    /** Runs the bootstrap from {@code start} with the given environment; returns what the stub java printed. */
    String run(Path start, Map<String, String> config) throws IOException, InterruptedException {
        Path java = tmp.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo "cwd=$(pwd -P)"
                echo "store-env=${SWITCHGUARD_STORE_URL-<unset>}"
                IFS=,
                for location in ${QUARKUS_CONFIG_LOCATIONS:-}; do
                  if [ -r "$location" ]; then cat "$location"; else echo "unreadable=$location"; fi
                done
                """);
        assertTrue(java.toFile().setExecutable(true));
        Path writable = Files.createDirectories(tmp.resolve("writable"));
        ProcessBuilder pb = new ProcessBuilder("sh", BOOTSTRAP.toString()).directory(start.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SWITCHGUARD_") || k.startsWith("QUARKUS_"));
        env.put("SWITCHGUARD_JAVA", java.toString());
        env.put("TMPDIR", writable.toString());
        env.putAll(config);
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the bootstrap did not exit");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aStoreUrlInARelativeConfigLocationReachesTheAppUnoverridden() throws Exception {
        Path start = Files.createDirectories(tmp.resolve("start"));
        Files.createDirectories(start.resolve("ops"));
        Files.writeString(start.resolve("ops/switchguard.yaml"),
                "switchguard:\n  store:\n    url: jdbc:postgresql://db.internal:5432/switchguard\n");

        String out = run(start, Map.of("QUARKUS_CONFIG_LOCATIONS", "ops/switchguard.yaml"));

        // The environment outranks a config file: any SWITCHGUARD_STORE_URL the bootstrap sets wins over the file.
        assertTrue(out.contains("store-env=<unset>"), out);
        assertTrue(out.contains("url: jdbc:postgresql://db.internal:5432/switchguard"), out);
    }

    @Test
    void aStoreUrlInTheEnvironmentReachesTheAppAsGiven() throws Exception {
        Path start = Files.createDirectories(tmp.resolve("start"));
        String out = run(start, Map.of("SWITCHGUARD_STORE_URL", "jdbc:postgresql://db.internal:5432/sg"));
        assertTrue(out.contains("store-env=jdbc:postgresql://db.internal:5432/sg"), out);
    }

    @Test
    void withNoStoreConfiguredTheAppsDefaultStoreIsInTheWritableDirectory() throws Exception {
        Path start = Files.createDirectories(tmp.resolve("start"));
        String out = run(start, Map.of());
        // The app's default, jdbc:h2:file:./data/switchguard, is relative to the JVM's working directory.
        String cwd = line(out, "cwd=");
        assertEquals(tmp.resolve("writable").toRealPath().toString(), cwd, out);
        assertTrue(out.contains("store-env=<unset>"), out);
    }

    static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> l.substring(prefix.length())).orElseThrow(() -> new AssertionError(prefix + " in " + out));
    }
}
