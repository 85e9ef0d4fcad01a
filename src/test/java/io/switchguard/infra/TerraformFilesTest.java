package io.switchguard.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * infra/functiongraph/*.tf parse as HCL (hcl4j; `terraform validate` needs the provider, which cannot be
 * downloaded here) and declare what issue 7 asks for: both functions, the timer and API Gateway triggers, the
 * agencies, secrets from CSMS into encrypted environment variables. TerraformArgumentsTest checks each argument
 * against the provider documentation.
 */
class TerraformFilesTest {

    static final Path DIR = Path.of("infra/functiongraph");

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseAll() throws Exception {
        Map<String, Object> merged = new HashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        }
        assertEquals(4, files.size(), files.toString());
        for (Path f : files) {
            Map<String, Object> parsed = quietly(() -> new HCLParser().parse(f.toFile(), "UTF-8"));
            assertNotNull(parsed, f.toString());
            parsed.forEach((block, body) -> {
                if (body instanceof Map<?, ?> m && merged.get(block) instanceof Map<?, ?> existing) {
                    ((Map<String, Object>) existing).putAll((Map<String, Object>) m);
                } else {
                    merged.put(block, body);
                }
            });
        }
        return merged;
    }

    /** hcl4j prints its expression evaluation to System.out; keep the build log readable. */
    static <T> T quietly(java.util.concurrent.Callable<T> work) throws Exception {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return work.call();
        } finally {
            System.setOut(out);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String... path) {
        Object cur = o;
        for (String p : path) {
            assertTrue(cur instanceof Map, "no " + String.join(".", path));
            cur = ((Map<String, Object>) cur).get(p);
            assertNotNull(cur, "no " + String.join(".", path));
        }
        return (Map<String, Object>) cur;
    }

    @Test
    void declaresBothFunctionsTriggersAgencyAndSecrets() throws Exception {
        Map<String, Object> tf = parseAll();
        Map<String, Object> http = map(tf, "resource", "huaweicloud_fgs_function", "http");
        assertEquals("http", http.get("runtime"));
        assertEquals("bootstrap", http.get("handler"));
        Map<String, Object> check = map(tf, "resource", "huaweicloud_fgs_function", "check");
        assertEquals("Custom-Image-Swr", check.get("code_type"));
        map(tf, "resource", "huaweicloud_fgs_function_trigger", "timer");
        map(tf, "resource", "huaweicloud_fgs_function_trigger", "api");
        map(tf, "resource", "huaweicloud_identity_agency", "app");
        map(tf, "resource", "huaweicloud_identity_agency", "platform");
        map(tf, "resource", "huaweicloud_identity_role", "app");
        map(tf, "data", "huaweicloud_csms_secret_version", "api_keys");
        map(tf, "variable", "check_schedule");
        map(tf, "output", "check_function_urn");
        assertTrue(tf.containsKey("terraform"));

        String main = Files.readString(DIR.resolve("main.tf"));
        assertTrue(main.contains("type         = \"TIMER\""));
        assertTrue(main.contains("encrypted_user_data"), "secrets go to encrypted environment variables");
    }

    @Test
    void bracesQuotesAndHeredocsBalance() throws Exception {
        try (Stream<Path> s = Files.list(DIR)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".tf")).toList()) {
                balanced(f, Files.readString(f));
            }
        }
    }

    /** hcl4j is lenient (it reads an unclosed block without complaint), so the structure check is what fails. */
    @Test
    void theStructureCheckRejectsBrokenHcl() {
        String unclosed = "resource \"huaweicloud_fgs_function\" \"x\" {\n  name = \"a\"\n";
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> balanced(Path.of("x.tf"), unclosed));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> balanced(Path.of("x.tf"), "locals {\n  a = \"${var.x\"\n}\n"));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> balanced(Path.of("x.tf"), "locals {\n  a = [1, 2}\n}\n"));
    }

    /** Where the terraform binary is installed (not needed in CI), its own parser must accept the files too. */
    @Test
    void terraformFmtAcceptsTheFilesWhereInstalled() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("terraform", "fmt", "-check", "-no-color", DIR.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException notInstalled) {
            org.junit.jupiter.api.Assumptions.abort("terraform not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "terraform fmt -check: " + out);
    }

    /** A second, independent structure check: (), [], {} and "..." (with ${...}) balance outside comments. */
    static void balanced(Path f, String text) {
        java.util.ArrayDeque<Character> stack = new java.util.ArrayDeque<>();
        String heredocEnd = null;
        int line = 0;
        for (String l : text.split("\n", -1)) {
            line++;
            if (heredocEnd != null) {
                if (l.trim().equals(heredocEnd)) {
                    heredocEnd = null;
                }
                continue;
            }
            java.util.regex.Matcher h = java.util.regex.Pattern.compile("<<-?([A-Z]+)\\s*$").matcher(l);
            if (h.find()) {
                heredocEnd = h.group(1);
                l = l.substring(0, h.start());
            }
            boolean inString = false;
            for (int i = 0; i < l.length(); i++) {
                char c = l.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        inString = false;
                    } else if (c == '$' && i + 1 < l.length() && l.charAt(i + 1) == '{') {
                        stack.push('$');
                        inString = false;
                        i++;
                    }
                    continue;
                }
                if (c == '#' || (c == '/' && i + 1 < l.length() && l.charAt(i + 1) == '/')) {
                    break;
                }
                switch (c) {
                    case '"' -> inString = true;
                    case '(', '[', '{' -> stack.push(c);
                    case ')', ']', '}' -> {
                        assertTrue(!stack.isEmpty(), f + ":" + line + " unbalanced " + c);
                        char open = stack.pop();
                        if (open == '$') {
                            assertEquals('}', c, f + ":" + line);
                            inString = true;
                        } else {
                            assertEquals("([{".indexOf(open), ")]}".indexOf(c), f + ":" + line + " mismatched " + c);
                        }
                    }
                    default -> { }
                }
            }
            assertTrue(!inString, f + ":" + line + " unterminated string");
        }
        assertTrue(stack.isEmpty(), f + ": unclosed " + stack);
        assertTrue(heredocEnd == null, f + ": unterminated heredoc");
    }
}
