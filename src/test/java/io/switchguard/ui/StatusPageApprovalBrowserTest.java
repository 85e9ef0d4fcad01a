package io.switchguard.ui;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.switchguard.check.Checker;
import io.switchguard.config.Targets;
import io.switchguard.kinds.drs.DrsSimulator;
import io.switchguard.policy.Verdict;
import io.switchguard.preflight.Preflight;
import io.switchguard.sandbox.CloudSimulator;
import io.switchguard.sandbox.DataPlaneFault;
import io.switchguard.sandbox.SandboxLauncher;
import io.switchguard.sandbox.WatchedTargets;
import io.switchguard.store.LeaseKeeper;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The status page's trust controls in a real headless Chromium (StatusPageBrowserTest's browser, on targets in
 * approval mode, which the demo targets are not): each target's preflight readiness and why not, approval requests
 * waiting with their breach and deadline, an approval and a denial given from the page after a confirmation with a
 * reason, and the budget of their group, which counts the group's automatic switchover but not the approved one.
 * Screenshots go to target/ui-screenshots/.
 */
@QuarkusTest
@TestProfile(ApprovalTargets.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageApprovalBrowserTest extends BrowserTest {

    static final String KEY = "test-key-one-4c1a";

    @TestHTTPResource("/ui/")
    URL page;

    @Inject SandboxLauncher sandbox;
    @Inject Checker checker;
    @Inject Targets targets;
    @Inject Preflight preflight;
    @Inject LeaseKeeper keeper;

    @BeforeEach
    void leading() {
        await().atMost(Duration.ofSeconds(10)).until(keeper::isLeader);
    }

    @Test
    @Order(1)
    void eachTargetShowsItsPreflightAndWhyNotReady() {
        DrsSimulator.of(sandbox.simulator()).setJobStatus("job-page-sync", "FULL_TRANSFER_STARTED");
        for (String t : List.of("page-approve", "page-deny", "page-sync")) {
            preflight.run(targets.find(t).orElseThrow());
        }
        browser.signIn(page.toString(), KEY);

        String sync = browser.until(d -> text(cell("page-sync", "preflight")).contains("not ready") ? text(cell(
                "page-sync", "preflight")) : null);
        assertTrue(sync.contains("switchable: DRS job job-page-sync is FULL_TRANSFER_STARTED, not in incremental"
                + " sync"), sync);
        String ready = text(cell("page-approve", "preflight"));
        assertTrue(ready.startsWith("ready"), ready);
        assertTrue(cell("page-approve", "preflight").findElement(By.tagName("span")).getDomAttribute("title")
                .contains("credentials ok"), "every check's sentence on hover");
        String name = text(browser.driver.findElement(By.cssSelector("#target-page-approve th")));
        assertTrue(name.contains("asks approval (then give-up after 10m)") && name.contains("group payments"), name);
    }

    @Test
    @Order(2)
    void aWaitingRequestIsApprovedFromThePageAfterAConfirmationWithAReason() throws Exception {
        breach("page-approve", "page-deny", "page-auto");
        WebElement row = browser.until(d -> d.findElement(By.id("approval-page-approve")));
        String request = text(row);
        assertTrue(request.matches("page-approve swap PRIMARY_DOWN: .+confirmed by the cloud status.+ then it gives up"
                + " Approve… ?Deny…"), request);
        browser.until(d -> d.findElement(By.id("approval-page-deny")));
        browser.shot("08-approvals-preflight-group-budget");

        row.findElement(By.cssSelector("button.approve")).click();
        browser.until(d -> d.findElement(By.id("answer-dialog")).isDisplayed());
        assertEquals("Approve swap of page-approve", text(browser.driver.findElement(By.id("answer-title"))));
        // No reason, no call: the answer is journaled with why.
        browser.driver.findElement(By.id("answer-confirm")).click();
        browser.until(d -> text(d.findElement(By.id("answer-result"))).startsWith("A reason is required"));
        assertEquals(0, swaps("page-approve"));

        browser.driver.findElement(By.id("answer-reason")).sendKeys("on call: the primary is gone");
        browser.driver.findElement(By.id("answer-confirm")).click();
        String result = browser.until(d -> text(d.findElement(By.id("answer-result"))).startsWith("Result:")
                ? text(d.findElement(By.id("answer-result"))) : null);
        assertTrue(result.startsWith("Result: APPROVED; swap SUCCEEDED"), result);
        assertEquals(1, swaps("page-approve"), "one swap reached the cloud");
        Map<String, Object> action = given().header("Authorization", "Bearer " + KEY)
                .get("/actions?target=page-approve&limit=1").then().statusCode(200).extract().path("[0]");
        assertEquals("approved", action.get("trigger"));
        assertTrue(String.valueOf(action.get("reason")).contains("(on call: the primary is gone)"), action.toString());
        browser.driver.findElement(By.id("answer-cancel")).click();

        browser.until(d -> d.findElements(By.id("approval-page-approve")).isEmpty());
        // The group's budget counts page-auto's own switchover; an approved one is an operator's and does not count.
        // (Its last reset is OpenApiApprovalContractTest's when that ran first in this application.)
        browser.until(d -> text(d.findElement(By.cssSelector("#budget-groups tr[data-group='payments']")))
                .startsWith("payments 1 of 2 within 1h off "));
        browser.until(d -> d.findElements(By.cssSelector("#journal tbody tr")).stream().map(this::text)
                .anyMatch(r -> r.contains("page-approve swap approved SUCCEEDED")));
        browser.shot("09-approved");
        // The README's picture (docs/ui.png): a request still waiting, the group's budget, every target's preflight.
        browser.shotDownTo("10-readme", "journal-heading");
    }

    @Test
    @Order(3)
    void aDenialFromThePageSendsNothing() {
        WebElement row = browser.until(d -> d.findElement(By.id("approval-page-deny")));
        row.findElement(By.cssSelector("button.deny")).click();
        browser.until(d -> d.findElement(By.id("answer-dialog")).isDisplayed());
        browser.driver.findElement(By.id("answer-reason")).sendKeys("standby maintenance until 18:00");
        browser.driver.findElement(By.id("answer-confirm")).click();
        String result = browser.until(d -> text(d.findElement(By.id("answer-result"))).startsWith("Result:")
                ? text(d.findElement(By.id("answer-result"))) : null);
        assertEquals("Result: DENIED", result);
        browser.driver.findElement(By.id("answer-cancel")).click();
        browser.until(d -> d.findElements(By.id("approval-page-deny")).isEmpty());
        browser.until(d -> text(d.findElement(By.cssSelector("#approvals tbody")))
                .equals("no request waits for an answer"));
        assertEquals(0, swaps("page-deny"), "a denial sends nothing");
        given().header("Authorization", "Bearer " + KEY).get("/status?target=page-deny").then()
                .body("targets[0].approval.pending", org.hamcrest.Matchers.nullValue());
    }

    /** The fault on each target's master; the checker's first cycle warms it up, a later one asks for approval. */
    private void breach(String... names) throws InterruptedException {
        CloudSimulator sim = sandbox.simulator();
        for (String name : names) {
            sim.dataPlaneFault(ApprovalTargets.instance(name), DataPlaneFault.DOWN);
            checker.check(targets.find(name).orElseThrow());
        }
        for (String name : names) {
            Checker.Report r = WatchedTargets.next(() -> checker.check(targets.find(name).orElseThrow()));
            assertEquals(name.equals("page-auto") ? Verdict.SWITCHOVER : Verdict.AWAIT_APPROVAL, r.decision().verdict(),
                    r.decision().reason());
        }
    }

    private long swaps(String target) {
        return sandbox.simulator().count("POST", ".*" + Pattern.quote("/instances/" + ApprovalTargets.instance(target)
                + "/swap"));
    }

    private static WebElement cell(String target, String column) {
        return browser.driver.findElement(By.id("target-" + target)).findElement(By.className(column));
    }

    private String text(WebElement e) {
        return e.getText().replaceAll("\\s+", " ").trim();
    }
}
