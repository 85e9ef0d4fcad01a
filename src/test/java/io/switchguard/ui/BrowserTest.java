package io.switchguard.ui;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One headless Chromium per browser test class, or every test of it skipped after the banner said why. */
abstract class BrowserTest {

    static Browser browser;
    static String skipped;

    @BeforeAll
    static void startBrowser() throws IOException {
        skipped = Browser.missing("the status page browser tests (StatusPageBrowserTest,"
                + " StatusPageApprovalBrowserTest)");
        if (skipped == null) {
            browser = Browser.start();
        }
    }

    /** Each test reports itself skipped (surefire counts them). */
    @BeforeEach
    void needsTheBrowser() {
        Assumptions.assumeTrue(skipped == null, () -> "browser test skipped: " + skipped);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.stop();
            browser = null;
        }
    }
}
