package io.switchguard.infra;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM flags infra/functiongraph/bootstrap starts the image and the HTTP function with: its own, then the
 * operator's SWITCHGUARD_JAVA_OPTS, which win; a collector named there replaces the serial one, as the JVM refuses
 * to start with two.
 */
class BootstrapFlagsTest {

    static final Path BOOTSTRAP = Path.of("infra/functiongraph/bootstrap").toAbsolutePath();

    @TempDir
    Path tmp;

    /** Runs the bootstrap with java as given; returns what it printed (stdout and stderr). */
    String run(String java, String javaOpts) throws IOException, InterruptedException {
        return run(BOOTSTRAP, java, javaOpts);
    }

    String run(Path bootstrap, String java, String javaOpts) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", bootstrap.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("SWITCHGUARD_") || k.startsWith("QUARKUS_")
                || k.equals("RUNTIME_MEMORY"));
        env.put("SWITCHGUARD_JAVA", java);
        env.put("TMPDIR", tmp.toString());
        if (javaOpts != null) {
            env.put("SWITCHGUARD_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the bootstrap did not exit");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** A java that prints its arguments, one a line. */
    Path printingJava() throws IOException {
        Path java = tmp.resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        return java;
    }

    @Test
    void theSerialCollectorAndC1AreTheDefaultAndTheOperatorsFlagsComeLast() throws Exception {
        List<String> args = run(printingJava().toString(), "-XX:TieredStopAtLevel=4 -Dx=1").lines().toList();
        assertTrue(args.contains("-XX:+UseSerialGC"), args.toString());
        assertTrue(args.indexOf("-XX:TieredStopAtLevel=1") < args.indexOf("-XX:TieredStopAtLevel=4"), args.toString());
        assertTrue(args.indexOf("-Dx=1") < args.indexOf("-jar"), args.toString());
    }

    @Test
    void aCollectorInTheOperatorsFlagsReplacesTheSerialOne() throws Exception {
        List<String> args = run(printingJava().toString(), "-XX:+UseG1GC -XX:MaxGCPauseMillis=50").lines().toList();
        assertFalse(args.contains("-XX:+UseSerialGC"), args.toString());
        assertTrue(args.contains("-XX:+UseG1GC"), args.toString());
    }

    @Test
    void theRealJvmStartsWithTheOperatorsCollector() throws Exception {
        // The bootstrap beside a quarkus-run.jar whose main class does not exist: a JVM that got through its own
        // start then cannot load it. Two collectors stop it before that.
        Path bundle = Files.createDirectories(tmp.resolve("bundle/quarkus-app")).getParent();
        Files.copy(BOOTSTRAP, bundle.resolve("bootstrap"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "NoSuchMain");
        try (OutputStream out = Files.newOutputStream(bundle.resolve("quarkus-app/quarkus-run.jar"));
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = run(bundle.resolve("bootstrap"), java, "-XX:+UseParallelGC");
        assertFalse(out.contains("Multiple garbage collectors selected"), out);
        assertTrue(out.contains("NoSuchMain"), out);
    }
}
