package io.mythos.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console of each service (DESIGN.md "Console", README "Console") in a real browser: Debian's headless
 * chromium driven through chromium-driver, against the three packaged services. Each page shows data this test
 * made through the API; the load page follows a pressure change live; the dry-run button shows a plan (and says
 * when the token may not ask for one); a bad token is asked for again. A screenshot of each page is written to
 * {@code target/console-screenshots/} on every run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the test that stops a service runs last
class ConsoleIT {

    static final Path CHROMIUM = Path.of(System.getProperty("mythos.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("mythos.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();

    private static MythosSystem sys;
    private static Api api;
    private static String viewer;
    private static String operator;
    private static Api.Fleet fleet;
    private WebDriver browser;

    @BeforeAll
    static void start() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && System.getenv("CI") != null) {
            throw new IllegalStateException("CI needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install chromium chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(present, "the console's browser tests need Debian's chromium and chromium-driver "
                + "(apt-get install chromium chromium-driver); skipped without them outside CI");
        Files.createDirectories(SCREENSHOTS);
        sys = MythosSystem.start(Postgres.forSuites(), "mythos_system_console", MythosSystem.FAST);
        api = new Api(sys);
        viewer = SystemTokens.token("console-viewer", 3600, "viewer");
        operator = SystemTokens.operator();
        fleet = api.fleet();
    }

    @AfterAll
    static void stop() {
        if (sys != null) {
            sys.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1300", "--hide-scrollbars", "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    // ---- REST-assured: the page is open, the data behind it is not ----

    @Test
    void eachServiceAnswersItsPageWithoutATokenAndItsDataOnlyWithOne() {
        Map<ServiceProcess, String> routes = Map.of(sys.healing(), "/system/health/recovery",
                sys.loadBalancer(), "/system/load", sys.daemon(), "/system/daemon");
        routes.forEach((service, route) -> {
            given().baseUri(service.url()).auth().none().get("/")
                    .then().statusCode(200).contentType(startsWith("text/html"))
                    .body(containsString("console-config")).body(containsString("/console/console.js"));
            // the view route: the page to a browser, JSON (behind the token) to everyone else
            given().baseUri(service.url()).auth().none()
                    .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").get(route)
                    .then().statusCode(200).contentType(startsWith("text/html")).header("Vary", containsString("Accept"))
                    .body(containsString("console-config"));
            given().baseUri(service.url()).auth().none().get(route)
                    .then().statusCode(401).contentType("application/problem+json").body("status", equalTo(401))
                    .header("WWW-Authenticate", startsWith("Bearer"));
            given().baseUri(service.url()).auth().none().accept("application/json").get(route)
                    .then().statusCode(401).contentType("application/problem+json");
            given().baseUri(service.url()).auth().oauth2(viewer).get(route)
                    .then().statusCode(200).contentType(startsWith("application/json"));
            given().baseUri(service.url()).auth().none().get("/console/console.js").then().statusCode(200);
            given().baseUri(service.url()).auth().none().get("/console/console.css").then().statusCode(200);
            given().baseUri(service.url()).auth().none().get("/_static/echarts/dist/echarts.min.js").then().statusCode(200);
        });
        given().baseUri(sys.loadBalancer().url()).auth().none().get("/system/load/stream")
                .then().statusCode(401).contentType("application/problem+json");
    }

    // ---- in the browser ----

    @Test
    void healingPageShowsTheEventsMadeThroughTheApi() {
        Api.Fleet f = api.fleet(); // its own: the repair rebalances the group
        String node = Api.id("console-node");
        api.signal(node, f.hot(), "entropy_spike", 0.93).then().statusCode(202);
        // a maintenance window over another node: the page lists it (remediation safety, README "Healing event lifecycle")
        String quietNode = Api.id("console-silenced");
        String silence = given().baseUri(sys.healing().url()).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("matchers", Map.of("node_id", quietNode), "ends_at",
                        java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(1).toString(), "comment", "console maintenance"))
                .post("/system/health/silences").then().statusCode(201).extract().path("id");

        open(sys.healing(), "/", viewer);
        WebElement row = waitFor(By.cssSelector("tr.event[data-node='" + node + "']"));
        assertTrue(row.getText().contains("entropy_spike"), row.getText());
        assertTrue(row.getText().contains(f.hot()), row.getText());
        // the repair actions, as the healing service carries them out across the other two
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            String text = d.findElement(By.cssSelector("tr.event[data-node='" + node + "']")).getText();
            return text.contains("rebalance_load") && text.contains("resync_memory") && text.contains("succeeded");
        });
        assertTrue(waitFor(By.cssSelector("tr.rule[data-kind='entropy_spike']")).getText().contains("0.8"));
        String silenceRow = waitFor(By.cssSelector("tr.silence[data-id='" + silence + "']")).getText();
        assertTrue(silenceRow.contains("node_id=" + quietNode) && silenceRow.contains("console maintenance"), silenceRow);
        // the event above counts in the effectiveness per trigger of the last 24 h
        assertTrue(waitFor(By.cssSelector("tr.trigger-stats[data-kind='entropy_spike']")).getText().startsWith("entropy_spike"));
        assertTrue(browser.findElement(By.id("storms")).isDisplayed(), "the storms panel");
        assertEquals("20", browser.findElement(By.cssSelector("#brake-limit .value")).getText());
        assertNavShowsAllUp();
        screenshot("healing");
    }

    @Test
    void loadPageShowsTheMapAndFollowsAPressureChangeWithoutAReload() {
        open(sys.loadBalancer(), "/", viewer);
        String hotRow = ".group[data-group='" + fleet.group() + "'] tr.assistant[data-assistant='" + fleet.hot() + "']";
        WebElement group = waitFor(By.cssSelector(".group[data-group='" + fleet.group() + "']"));
        assertTrue(group.findElement(By.tagName("canvas")).isDisplayed(), "the group's bar chart");
        String before = attribute(hotRow, "data-utilization");
        waitFor(By.cssSelector("#live.on"));
        waitFor(By.cssSelector("tr.codex"));
        ((JavascriptExecutor) browser).executeScript("window.__sameDocument = 'yes';");

        // one more codex on the hot assistant: 12 + 4 = 16 of effective capacity 10 × (1 − 0.5 × 0.2) = 9
        api.pressure(Map.of("codices", List.of(Map.of("codex_id", fleet.hot() + "-live", "assistant_id", fleet.hot(), "pressure", 4.0))));
        long changed = System.nanoTime();
        String expected = String.format(java.util.Locale.ROOT, "%.4f", 16.0 / 9.0);
        new WebDriverWait(browser, Duration.ofSeconds(5)).pollingEvery(Duration.ofMillis(50))
                .until(d -> expected.equals(attribute(hotRow, "data-utilization")));
        long millis = (System.nanoTime() - changed) / 1_000_000;
        System.out.println("ConsoleIT: the load page showed the pressure change after " + millis + " ms");
        assertTrue(millis <= 2000, "the page showed the change after " + millis + " ms");
        assertEquals("yes", ((JavascriptExecutor) browser).executeScript("return window.__sameDocument;"), "no reload");
        assertFalse(expected.equals(before));
        screenshot("load-balancer");
    }

    @Test
    void dryRunButtonShowsAPlanAndAppliesNothing() {
        double maxBefore = api.loadMap(fleet.group()).getDouble("groups[0].max_utilization");
        open(sys.loadBalancer(), "/", operator);
        waitFor(By.cssSelector(".group[data-group='" + fleet.group() + "']"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("dry-run-group"))).selectByValue(fleet.group());
        WebElement button = browser.findElement(By.id("dry-run-button"));
        assertTrue(button.isEnabled());
        button.click();
        WebElement plan = waitFor(By.cssSelector("#plan .plan"));
        assertTrue(plan.getText().contains("dry run: not applied"), plan.getText());
        assertFalse(plan.findElements(By.cssSelector("tr.move")).isEmpty(), "codex moves: " + plan.getText());
        assertTrue(plan.findElement(By.id("plan-figures")).getText().contains("before"));
        assertEquals(maxBefore, api.loadMap(fleet.group()).getDouble("groups[0].max_utilization"), 1e-9, "nothing applied");
        screenshot("load-balancer-dry-run");
    }

    @Test
    void aViewerIsToldThatADryRunNeedsAnotherRole() {
        open(sys.loadBalancer(), "/", viewer);
        waitFor(By.cssSelector(".group[data-group='" + fleet.group() + "']"));
        assertFalse(browser.findElement(By.id("dry-run-button")).isEnabled());
        assertTrue(browser.findElement(By.id("dry-run-note")).getText().contains("may not rebalance"));
    }

    @Test
    void daemonPageShowsTheZonesThePathAndTheReflectionScripts() {
        api.recover(fleet.zone(), Api.id("console-recover"));
        api.cycle();
        open(sys.daemon(), "/", viewer);
        WebElement zone = waitFor(By.cssSelector("tr.zone[data-zone='" + fleet.zone() + "']"));
        assertTrue(zone.getText().contains("3"), zone.getText()); // three replicas
        zone.click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> {
            WebElement path = d.findElement(By.id("path"));
            return fleet.zone().equals(path.getAttribute("data-zone")) && Integer.parseInt(path.getAttribute("data-points")) >= 1;
        });
        assertTrue(browser.findElement(By.cssSelector("#path-chart canvas")).isDisplayed());
        WebElement script = waitFor(By.cssSelector(".record pre.script"));
        assertTrue(script.getText().contains(fleet.hot()), "the reflection script names the corrected replica: " + script.getText());
        screenshot("recovery-daemon");
    }

    @Test
    void theViewRouteIsThePageInABrowser() {
        open(sys.daemon(), "/system/daemon", viewer);
        waitFor(By.cssSelector("tr.zone"));
        assertTrue(browser.getTitle().contains("Belief zones"), browser.getTitle());
    }

    @Test
    void aBadTokenIsAskedForAgain() {
        open(sys.healing(), "/", "not-a-jwt");
        WebElement dialog = waitFor(By.cssSelector("#token-dialog[open]"));
        assertTrue(dialog.getText().contains("refused"), dialog.getText());
        browser.findElement(By.id("token-input")).sendKeys(viewer);
        browser.findElement(By.id("token-submit")).click();
        waitFor(By.cssSelector("#brake-limit"));
        assertTrue(browser.findElements(By.cssSelector("#token-dialog[open]")).isEmpty(), "the dialog closed");
        // kept for the tab: a reload needs no token
        browser.navigate().refresh();
        waitFor(By.cssSelector("#brake-limit"));
        assertTrue(browser.findElements(By.cssSelector("#token-dialog[open]")).isEmpty(), "no question after a reload");
    }

    @Test
    @Order(Integer.MAX_VALUE - 1) // after the screenshots: a group this big fills the page
    void hundredsOfAssistantsStayReadable() {
        String group = Api.id("big");
        List<Map<String, Object>> assistants = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            assistants.add(Map.of("assistant_id", group + "-a" + i, "group", group, "capacity", 10.0, "memory_entropy", 0.0));
        }
        api.pressure(Map.of("assistants", assistants, "codices",
                List.of(Map.of("codex_id", group + "-c", "assistant_id", group + "-a7", "pressure", 12.0))));
        open(sys.loadBalancer(), "/", viewer);
        String box = ".group[data-group='" + group + "'] .scroll";
        waitFor(By.cssSelector(box + " canvas"));
        Map<?, ?> size = (Map<?, ?>) ((JavascriptExecutor) browser).executeScript(
                "var b = document.querySelector(arguments[0]); return {client: b.clientHeight, scroll: b.scrollHeight};", box);
        long client = ((Number) size.get("client")).longValue(), scroll = ((Number) size.get("scroll")).longValue();
        assertTrue(client <= 470, "the group's chart stays within its box: " + size);
        assertTrue(scroll >= 300 * 20, "one bar line per assistant, scrolled within the box: " + size);
        assertEquals(300L, ((Number) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelectorAll(\".group[data-group='\" + arguments[0] + \"'] tr.assistant\").length;", group)).longValue());
        // the hottest first: the overloaded one leads its group
        assertEquals(group + "-a7", attribute(".group[data-group='" + group + "'] tr.assistant", "data-assistant"));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aServiceThatIsDownShowsAsDownInTheNav() {
        open(sys.healing(), "/", viewer);
        assertNavShowsAllUp();
        sys.daemon().stop();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                d.findElements(By.cssSelector("nav a#nav-recovery-daemon.down .dot.down")).size() == 1);
        assertEquals(2, browser.findElements(By.cssSelector("nav .dot.up")).size(), "the other two stay up");
    }

    // ---- helpers ----

    private void open(ServiceProcess service, String path, String token) {
        browser.get(service.url() + path + "#token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** An attribute read in one go in the page (the rows are rebuilt on each refresh: a held element goes stale). */
    private String attribute(String css, String name) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "var e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
    }

    private WebElement waitFor(By what) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(what));
    }

    private void assertNavShowsAllUp() {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("nav .dot.up")).size() == 3);
    }

    private void screenshot(String name) {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static {
        // never let Selenium Manager fetch anything: the driver's path is set, and so is the browser's
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }
}
