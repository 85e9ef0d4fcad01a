package io.switchguard.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.switchguard.sandbox.SandboxLauncher;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The status page in a real headless Chromium against the sandbox, with the checker's schedule on: the operator
 * enters the key, sees every target, a fault kills demo-cache's master, the automatic swap shows up in the journal,
 * a switchover is dry-run first and confirmed, and a target is paused from the page; each target's preflight says
 * it is ready. Approval requests, a preflight that is not ready and a group's budget need configured targets:
 * StatusPageApprovalBrowserTest. Screenshots go to target/ui-screenshots/. Without /usr/bin/chromium and
 * /usr/bin/chromedriver the test is skipped, loudly (Browser).
 */
@QuarkusTest
@TestProfile(StatusPageBrowserTest.Scheduled.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageBrowserTest extends BrowserTest {

    static final String KEY = "test-key-one-4c1a";

    /** The demo targets on their own schedule (every 2 s, threshold 3), as `java -jar` in the sandbox runs them. */
    public static class Scheduled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchguard.check.scheduler", "true",
                    "switchguard.store.url", "jdbc:h2:mem:ui-browser;DB_CLOSE_DELAY=-1");
        }
    }

    static WebDriver driver;

    @TestHTTPResource("/ui/")
    URL page;

    @Inject
    SandboxLauncher sandbox;

    @BeforeAll
    static void driver() {
        driver = browser == null ? null : browser.driver;
    }

    @Test
    @Order(1)
    void theKeyIsAskedOnceAndEveryTargetShows() {
        browser.signIn(page.toString(), KEY);

        until(d -> d.findElements(By.cssSelector("#targets tbody tr")).size() == 4);
        for (String target : List.of("demo-cache", "demo-cache-v1", "demo-db", "demo-dw")) {
            assertTrue(row(target).isDisplayed(), target);
        }
        until(d -> cell("demo-cache", "health").getText().equals("healthy"));
        // The preflight schedule's first round: every demo target could be switched now.
        for (String target : List.of("demo-cache", "demo-cache-v1", "demo-db", "demo-dw")) {
            until(d -> cell(target, "preflight").getText().startsWith("ready"));
        }
        String holder = given().header("Authorization", "Bearer " + KEY).get("/status").then().extract()
                .path("lease.holder");
        until(d -> d.findElement(By.id("lease-holder")).getText().equals(holder));
        // Kept for the tab, never put into the page.
        assertEquals(KEY, ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("return sessionStorage.getItem('switchguard.apiKey')"));
        assertTrue(!driver.getPageSource().contains(KEY), "the key is not in the document");
        shot("01-targets");
    }

    @Test
    @Order(2)
    void aKilledMasterIsSwappedAndTheSwapShowsInTheJournal() {
        fault("demo-cache", "down");

        until(d -> cell("demo-cache", "health").getText().equals("unhealthy"));
        shot("02-breach");
        new Select(driver.findElement(By.id("f-trigger"))).selectByVisibleText("auto");
        // The journal is redrawn on every poll: read a row's text in one go.
        String swap = until(d -> d.findElements(By.cssSelector("#journal tbody tr")).stream().map(WebElement::getText)
                .filter(r -> r.contains("demo-cache") && r.contains("SUCCEEDED")).findFirst().orElse(null));
        assertTrue(swap.matches(".*demo-cache swap auto SUCCEEDED VERIFIED.*"), swap);
        assertEquals(1L, sandbox.simulator().count("POST", "/v2/[^/]+/instances/5560df16-[^/]+/swap"),
                "one swap reached the cloud");
        fault("demo-cache", "none");
        until(d -> cell("demo-cache", "cooldown").getText().startsWith("until"));
        shot("03-auto-swap-in-journal");
        new Select(driver.findElement(By.id("f-trigger"))).selectByVisibleText("all");
    }

    @Test
    @Order(3)
    void aSwitchoverShowsTheGuardsVerdictFirstAndRunsOnlyOnConfirmation() {
        String vip = "/v3/[^/]+/jobs/[^/]+/switch-vip";
        row("demo-db").findElement(By.cssSelector("button[data-action='switch-vip']")).click();

        until(d -> driver.findElement(By.id("switch-verdict")).getText().startsWith("The guards allow it."));
        assertTrue(driver.findElement(By.id("switch-verdict")).getText().contains("DRY_RUN"));
        assertEquals(0L, sandbox.simulator().count("POST", vip), "the dry run calls no switch");
        shot("04-dry-run");

        driver.findElement(By.id("switch-reason")).sendKeys("drill from the browser test");
        driver.findElement(By.id("switch-confirm")).click();

        until(d -> driver.findElement(By.id("switch-verdict")).getText().startsWith("Result: SUCCEEDED"));
        assertEquals(1L, sandbox.simulator().count("POST", vip));
        driver.findElement(By.id("switch-cancel")).click();
        until(d -> d.findElements(By.cssSelector("#journal tbody tr")).stream()
                .anyMatch(r -> r.getText().contains("demo-db") && r.getText().contains("manual")));
    }

    @Test
    @Order(4)
    void aTargetIsPausedAndResumedFromThePage() {
        WebElement pause = row("demo-cache-v1").findElement(By.className("pause"));
        assertEquals("Pause demo-cache-v1", pause.getDomAttribute("aria-label"));
        pause.click();

        until(d -> cell("demo-cache-v1", "paused").getText().startsWith("paused"));
        given().header("Authorization", "Bearer " + KEY).get("/status?target=demo-cache-v1").then()
                .body("targets[0].paused", equalTo(true))
                .body("targets[0].pauseReason", equalTo("paused from the status page"));
        until(d -> row("demo-cache-v1").findElement(By.className("pause")).getText().equals("Resume"));
        shot("05-paused");

        row("demo-cache-v1").findElement(By.className("pause")).click();
        until(d -> cell("demo-cache-v1", "paused").getText().equals("no"));
        given().header("Authorization", "Bearer " + KEY).get("/status?target=demo-cache-v1").then()
                .body("targets[0].paused", equalTo(false));
    }

    @Test
    @Order(5)
    void aSwitchoverTheGuardsRefuseCannotBeConfirmed() {
        fault("demo-cache-v1", "lag");
        long before = sandbox.simulator().count("PUT", "/v1.0/.*/swap");
        row("demo-cache-v1").findElement(By.cssSelector("button[data-action='swap']")).click();

        until(d -> driver.findElement(By.id("switch-verdict")).getText().startsWith("The guards refuse it."));
        assertTrue(driver.findElement(By.id("switch-verdict")).getText().contains("REJECTED"),
                driver.findElement(By.id("switch-verdict")).getText());
        assertTrue(!driver.findElement(By.id("switch-confirm")).isEnabled(), "no confirmation after a refusal");
        assertEquals(before, sandbox.simulator().count("PUT", "/v1.0/.*/swap"), "no swap reached the cloud");
        shot("06-refused");
        driver.findElement(By.id("switch-cancel")).click();
        fault("demo-cache-v1", "none");
    }

    @Test
    @Order(6)
    void aScheduledSwitchoverAndADrillPlanShowUpWithTheBudget() {
        String at = java.time.Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        String schedule = given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON)
                .body("{\"target\":\"demo-dw\",\"at\":\"" + at + "\",\"reason\":\"maintenance window\"}")
                .post("/schedule").then().statusCode(200).extract().path("id");
        given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON)
                .body("{\"target\":\"demo-cache\",\"cron\":\"0 3 1 1 *\",\"hold\":\"10s\"}")
                .post("/drill-plan").then().statusCode(200);

        String row = until(d -> d.findElements(By.cssSelector("#schedules tbody tr[data-schedule-id='" + schedule + "']"))
                .stream().map(WebElement::getText).findFirst().orElse(null));
        assertTrue(row.contains("demo-dw") && row.contains("PENDING") && row.contains("maintenance window"), row);
        assertTrue(row.contains("(by key-"), "who made it: " + row);
        String plan = until(d -> d.findElements(By.cssSelector("#plans tbody tr")).stream().map(WebElement::getText)
                .filter(r -> r.contains("demo-cache") && r.contains("0 3 1 1 *")).findFirst().orElse(null));
        assertTrue(plan.contains("ACTIVE") && plan.contains("10 s"), plan);
        // One automatic swap so far (test 2), out of the test profile's budget; the brake is off.
        until(d -> d.findElement(By.id("budget-used")).getText().matches("\\d+ of \\d+ within .*"));
        assertEquals("off", driver.findElement(By.id("budget-brake")).getText());
        ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("document.getElementById('schedules-heading').scrollIntoView()");
        shot("07-schedule-and-drill-plan");
    }

    private static void fault(String target, String kind) {
        given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON)
                .body("{\"target\":\"" + target + "\",\"kind\":\"" + kind + "\"}").post("/sandbox/faults")
                .then().statusCode(200);
    }

    private static WebElement row(String target) {
        return driver.findElement(By.id("target-" + target));
    }

    private static WebElement cell(String target, String column) {
        return row(target).findElement(By.className(column));
    }

    private static <T> T until(java.util.function.Function<WebDriver, T> condition) {
        return browser.until(condition);
    }

    private static void shot(String name) {
        browser.shot(name);
    }
}
