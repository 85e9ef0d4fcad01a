package io.switchguard.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for the status page's browser tests (Debian's chromium and chromium-driver;
 * -Dui.chromium / -Dui.chromedriver point elsewhere), with a throwaway profile, and the screenshots under
 * target/ui-screenshots/. Without the two programs the tests are skipped, and say so loudly.
 */
final class Browser {

    static final Path CHROMIUM = Paths.get(System.getProperty("ui.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Paths.get(System.getProperty("ui.chromedriver", "/usr/bin/chromedriver"));
    static final Path SHOTS = Paths.get("target", "ui-screenshots");
    static final Duration WAIT = Duration.ofSeconds(40);

    final WebDriver driver;
    private final Path profile;

    private Browser(WebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Why the browser cannot run here (after a banner on stderr), or null when it can. */
    static String missing(String test) {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return null;
        }
        String why = "no " + (!Files.isExecutable(CHROMIUM) ? CHROMIUM : CHROMEDRIVER)
                + ": apt-get install -y chromium chromium-driver (as .ci/run does)";
        System.err.println("\n" + "#".repeat(78) + "\n#  SKIPPED: " + test + ".\n#  " + why + "\n"
                + "#".repeat(78) + "\n");
        return why;
    }

    static Browser start() throws IOException {
        Path profile = Files.createTempDirectory("switchguard-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        Files.createDirectories(SHOTS);
        return new Browser(new ChromeDriver(service, options), profile);
    }

    void stop() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** Opens the page and enters the key once, as an operator does. */
    void signIn(String page, String key) {
        driver.get(page);
        driver.findElement(By.id("api-key")).sendKeys(key);
        driver.findElement(By.cssSelector("#key-form button[type=submit]")).click();
    }

    /** Waits for a condition over the page, which is redrawn by every poll. */
    <T> T until(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(200))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(NoSuchElementException.class)
                .until(condition::apply);
    }

    Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    /** A screenshot of the page from its top down to the element, and the window back to its size after. */
    void shotDownTo(String name, String elementId) {
        Dimension size = driver.manage().window().getSize();
        long height = ((Number) script("return document.getElementById('" + elementId + "').offsetTop")).longValue();
        // The window's frame and the viewport differ by the browser's own chrome, even headless.
        long frame = size.getHeight() - ((Number) script("return window.innerHeight")).longValue();
        driver.manage().window().setSize(new Dimension(size.getWidth(), (int) (height + frame)));
        try {
            shot(name);
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    void shot(String name) {
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        try {
            Files.write(SHOTS.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
