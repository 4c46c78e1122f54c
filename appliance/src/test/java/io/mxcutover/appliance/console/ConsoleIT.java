package io.mxcutover.appliance.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser against {@code ./mxcutover demo} (the shaded jar in a child process, its
 * embedded mail servers and DNS): the overview, the domain page's DNS table and chart following an MX switch
 * without a reload, the roles (an operator cannot go live, a forged POST gets 403), an admin's go-live, and
 * CSRF. The tests run in order on one demo and one browser; each leaves screenshots under target/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    static final Path JAR = Path.of("target/mxcutover.jar");
    static final String DOMAIN = "example.test";
    /** The demo mailboxes imported with their passwords (dave@ waits for its user on /migrate/). */
    static final String COPIED = "#mailboxes tr[data-mailbox]:not([data-mailbox='dave@example.test'])";

    static Process demo;
    static Path log;
    static Path profile;
    static ChromeDriver browser;
    static String console;
    static Path zone;
    static Path switchedZone;

    @BeforeAll
    static void startDemoAndBrowser() throws Exception {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        log = io.mxcutover.appliance.TempDirs.file("console-demo", ".log");
        demo = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-jar",
                        JAR.toString(),
                        "demo",
                        "--port",
                        "0",
                        "--switch-mx-after",
                        "-1")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // generous: on a loaded machine the JVM, the embedded servers and the appliance take long to start
        await().atMost(Duration.ofSeconds(180))
                .until(() -> Files.readString(log).contains("Ctrl-C stops the demo"));
        String banner = Files.readString(log);
        console = group(banner, "Console\\s+(http://localhost:\\d+/)");
        Matcher cp = Pattern.compile("cp (\\S+) (\\S+)").matcher(banner);
        assertThat(cp.find()).as("the banner names the MX switch command").isTrue();
        switchedZone = Path.of(cp.group(1));
        zone = Path.of(cp.group(2));

        // The banner comes only when what it names answers: no retry here.
        assertThat(banner.indexOf("Console")).as("the console URL comes first").isLessThan(banner.indexOf("Try:"));
        assertThat(get(console, null).statusCode()).isEqualTo(200);
        assertThat(get(console + "api/v1/status", "ops:ops-demo-pw").statusCode())
                .isEqualTo(200);

        profile = io.mxcutover.appliance.TempDirs.dir("console-chromium-");
        browser = Browser.start(profile);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.destroy();
            if (!demo.waitFor(20, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    @Test
    @Order(1)
    void overviewShouldListDomainsWithPhaseAndMailboxesReachFullProgress() throws Exception {
        browser.get(console);
        logIn("ops", "ops-demo-pw");
        // The rows are redrawn at every update: find them again each time.
        waitUntil(() -> browser.findElement(By.cssSelector("#domains tr[data-domain='example.test'] [data-phase]"))
                .getText()
                .equals("RELAYING"));
        waitUntil(() -> browser.findElement(By.cssSelector("#domains tr[data-domain='example.test'] td.mailboxes"))
                .getText()
                .contains("3/4")); // dave@ waits for its user (self-service): see SelfServiceIT
        Browser.screenshot(browser, "console-overview");

        browser.findElement(By.linkText(DOMAIN)).click();
        waitUntil(() -> browser.findElements(By.cssSelector("#mailboxes tr[data-mailbox]"))
                        .size()
                == 4);
        waitUntil(() -> browser.findElements(By.cssSelector(COPIED + " td.progress")).stream()
                .allMatch(td -> td.getText().contains("100%")));
        // Each mailbox's total comes from its source inventory (messagesTotal): copied/total.
        waitUntil(() -> {
            var cells = browser.findElements(By.cssSelector(COPIED + " td.messages"));
            return cells.size() == 3
                    && cells.stream().allMatch(td -> td.getText().matches("\\d+/\\d+"));
        });
    }

    @Test
    @Order(2)
    void domainPageShouldFollowTheMxSwitchWithoutReload() throws Exception {
        browser.get(console + "domain.html?d=" + DOMAIN);
        waitUntil(() -> !browser.findElements(By.cssSelector("#dns-servers tr[data-role='AUTHORITATIVE']"))
                        .isEmpty()
                && !browser.findElements(By.cssSelector("#dns-servers tr[data-role='RESOLVER']"))
                        .isEmpty());
        // DNSSEC and MX-target checks: a row each, the result in words (UNKNOWN until the watcher ran them).
        WebElement dnssec = browser.findElement(By.cssSelector("#dns-checks tr[data-check='dnssec']"));
        assertThat(dnssec.getDomAttribute("data-status")).isIn("SECURE", "INSECURE", "BOGUS", "UNKNOWN");
        assertThat(dnssec.findElement(By.cssSelector(".badge")).getText()).isNotBlank();
        assertThat(browser.findElements(By.cssSelector("#dns-checks tr[data-check='mx-target']")))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.getText()).contains("mx"));
        WebElement chart = browser.findElement(By.id("chart"));
        waitUntil(() -> "0".equals(chart.getDomAttribute("data-authoritative")));
        assertThat(browser.findElement(By.cssSelector("#chart-marks li.switch")).getText())
                .contains("not yet");
        assertThat(browser.findElements(By.cssSelector("#chart canvas")))
                .as("uPlot drew the chart")
                .isNotEmpty();
        browser.executeScript("window.__sameDocument = true");

        Files.copy(switchedZone, zone, StandardCopyOption.REPLACE_EXISTING);

        waitUntil(() -> "100".equals(browser.findElement(By.id("chart")).getDomAttribute("data-authoritative")));
        waitUntil(() -> !browser.findElement(By.cssSelector("#chart-marks li.switch"))
                .getText()
                .contains("not yet"));
        assertThat(browser.findElement(By.cssSelector("#chart-marks li.switch time"))
                        .getDomAttribute("title"))
                .as("UTC on hover")
                .endsWith("(UTC)");
        assertThat(browser.executeScript("return window.__sameDocument === true"))
                .as("no reload")
                .isEqualTo(true);
        waitUntil(() -> browser.findElement(By.cssSelector("#dns-servers tr[data-role='AUTHORITATIVE']"))
                .getText()
                .contains("mx1.new.example.test"));
        Browser.screenshot(browser, "console-domain");
    }

    @Test
    @Order(3)
    void operatorShouldNotGoLiveAndForgedPostsShouldGet403() {
        browser.get(console + "domain.html?d=" + DOMAIN);
        waitFor(By.cssSelector("#checks tr[data-check]"));
        assertThat(browser.findElement(By.id("golive")).isDisplayed())
                .as("Go live for an operator")
                .isFalse();
        assertThat(browser.findElement(By.id("role-note")).getText()).contains("operator");

        // The operator's own page, with its valid CSRF token: the role refuses it.
        assertThat(postFromPage("/api/v1/domains/example.test/cutover", true)).containsEntry("status", 403L);
        // Without the token: refused before the role is even looked at.
        assertThat(postFromPage("/api/v1/domains/example.test/cutover", false)).containsEntry("status", 403L);
        assertThat(phaseOnPage()).isEqualTo("RELAYING");
    }

    @Test
    @Order(4)
    void loggedOutPageShouldGet401WithoutBrowserDialogAndShowLogin() {
        browser.findElement(By.id("logout")).click();
        waitUntil(() -> browser.findElement(By.id("login-section")).isDisplayed());
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/api/v1/status', {headers: {'X-Requested-With': 'mxcutover-console'}})
                  .then(r => done({status: r.status, challenge: r.headers.get('WWW-Authenticate')}));
                """);
        assertThat(r).containsEntry("status", 401L).containsEntry("challenge", null);
        logIn("ops", "wrong-password");
        waitUntil(() -> browser.findElement(By.id("login-error")).getText().contains("Wrong user name or password"));
    }

    @Test
    @Order(5)
    void adminShouldGoLiveFromThePageAndCsrfShouldBeEnforced() throws Exception {
        browser.get(console + "domain.html?d=" + DOMAIN);
        logIn("admin", "admin-demo-pw");
        WebElement goLive = waitFor(By.id("golive"));
        waitUntil(goLive::isDisplayed);
        // The demo's readiness is red until every mailbox is verified; an admin may force with a reason.
        if (!browser.findElement(By.id("force-box")).isDisplayed()) {
            assertThat(goLive.isEnabled()).isTrue();
        } else {
            assertThat(goLive.isEnabled())
                    .as("Go live while checks fail, before 'force' is typed")
                    .isFalse();
            browser.findElement(By.id("golive-reason")).sendKeys("console go-live test");
            browser.findElement(By.id("golive-force")).sendKeys("force");
            waitUntil(goLive::isEnabled);
        }
        goLive.click();
        waitUntil(() -> "CATCHING_UP".equals(phaseOnPage()));
        waitUntil(() -> browser.findElements(By.cssSelector("#audit-log tr[data-action='phase']")).stream()
                .anyMatch(tr -> tr.getText().contains("RELAYING → CATCHING_UP")
                        && tr.getText().contains("admin")));
        assertThat(browser.findElement(By.id("rollback")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("relay-facts")).getText()).contains("accepted", "delivered", "bounced");

        assertThat(postFromPage("/api/v1/domains/example.test/rollback", false)).containsEntry("status", 403L);
        assertThat(get(console + "api/v1/domains/example.test", "ops:ops-demo-pw")
                        .body())
                .contains("\"phase\":\"CATCHING_UP\"");
        Browser.screenshot(browser, "console-domain-after-go-live");
    }

    @Test
    @Order(6)
    void adminShouldTakeInventoryAndDriveABatchFromThePage() throws Exception {
        // A batch "pilot" with one of the demo's mailboxes, put there through the API as a script would.
        browser.get(console + "domain.html?d=" + DOMAIN);
        waitUntil(() -> browser.findElements(By.cssSelector(COPIED)).size() == 3);
        String anna = browser.findElements(By.cssSelector(COPIED)).get(0).getDomAttribute("data-mailbox");
        HttpResponse<String> assigned = post(
                console + "api/v1/domains/" + DOMAIN + "/batches/pilot/mailboxes",
                "admin:admin-demo-pw",
                "{\"mailboxes\": [\"" + anna + "\"]}");
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);

        // Inventory: the admin starts it from the page; progress, totals, per-mailbox rows and the estimate show.
        WebElement start = waitFor(By.id("inventory-start"));
        waitUntil(start::isDisplayed);
        scrollTo("inventory");
        start.click();
        waitUntil(
                () -> "done".equals(browser.findElement(By.id("inventory-run")).getDomAttribute("data-state")));
        assertThat(browser.findElement(By.cssSelector("#inventory-run .inventory-done"))
                        .getText())
                .isEqualTo("3/3");
        assertThat(browser.findElements(By.cssSelector("#inventory-mailboxes tr[data-mailbox]")))
                .hasSize(3)
                .allSatisfy(tr -> assertThat(tr.getDomAttribute("data-outcome")).isEqualTo("LISTED"));
        assertThat(browser.findElement(By.id("inventory-totals")).getText())
                .contains(
                        "Mailboxes",
                        "3 (3 listed)",
                        "Failed logins",
                        "Folders refused / renamed / merged",
                        "Over APPENDLIMIT");
        assertThat(browser.findElement(By.id("inventory-estimate-text")).getText())
                .isNotBlank();
        assertThat(browser.findElement(By.id("inventory-basis")).getText()).containsPattern("msg/s");
        assertThat(browser.findElement(By.id("inventory-actual")).getDomAttribute("data-state"))
                .isIn("not started", "running", "done");
        assertThat(get(console + "api/v1/domains/" + DOMAIN + "/inventory?format=csv", "ops:ops-demo-pw")
                        .statusCode())
                .isEqualTo(200);
        scrollTo("inventory");
        Browser.screenshot(browser, "console-inventory");

        // Batches: start, pause, resume, complete from the buttons (each a POST with the page's CSRF token).
        scrollTo("batches");
        waitUntil(() -> "NEW".equals(batchState("pilot")));
        assertThat(browser.findElement(By.cssSelector("#batch-list tr[data-batch='pilot'] .mailboxes"))
                        .getText())
                .endsWith("/1");
        for (String[] step : new String[][] {
            {"start", "STARTED"}, {"pause", "PAUSED"}, {"resume", "STARTED"}, {"complete", "COMPLETED"}
        }) {
            clickBatch("pilot", step[0]);
            waitUntil(() -> step[1].equals(batchState("pilot")));
        }
        waitUntil(() -> browser.findElement(By.cssSelector("#batch-list tr[data-batch='pilot'] td.final-pass"))
                .getText()
                .contains("additional messages"));
        WebElement row = browser.findElement(By.cssSelector("#batch-list tr[data-batch='pilot']"));
        // A completed batch offers only its final pass again, named as such (not a second "Complete").
        assertThat(row.findElements(By.cssSelector("button[data-command]")))
                .singleElement()
                .satisfies(b -> assertThat(b.getText()).isEqualTo("Run final pass again"));
        String json = row.findElement(By.cssSelector("a.report-json")).getDomAttribute("href");
        String csv = row.findElement(By.cssSelector("a.report-csv")).getDomAttribute("href");
        assertThat(json).isEqualTo("/api/v1/domains/" + DOMAIN + "/batches/pilot");
        assertThat(csv).isEqualTo(json + "/report.csv");
        assertThat(get(console + json.substring(1), "ops:ops-demo-pw").body()).contains("\"state\":\"COMPLETED\"");
        assertThat(get(console + csv.substring(1), "ops:ops-demo-pw").body()).contains(anna);
        assertThat(get(console + "api/v1/audit?domain=" + DOMAIN, "ops:ops-demo-pw")
                        .body())
                .contains("batch.start", "batch.pause", "batch.resume", "batch.complete", "domain.inventory");
        scrollTo("batches");
        Browser.screenshot(browser, "console-batches");
    }

    // ------------------------------------------------------------------------------------------------

    private static void logIn(String user, String password) {
        WebElement form = waitFor(By.id("login"));
        waitUntil(form::isDisplayed);
        WebElement name = form.findElement(By.name("name"));
        WebElement pw = form.findElement(By.name("password"));
        name.clear();
        name.sendKeys(user);
        pw.clear();
        pw.sendKeys(password);
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private static void scrollTo(String id) {
        // The tables scroll sideways on a narrow window; a click may have scrolled one: show its start.
        browser.executeScript(
                "const s = document.getElementById(arguments[0]); s.scrollIntoView();"
                        + " s.querySelectorAll('.table-wrap').forEach(w => { w.scrollLeft = 0; });",
                id);
    }

    private static String batchState(String batch) {
        List<WebElement> rows = browser.findElements(By.cssSelector("#batch-list tr[data-batch='" + batch + "']"));
        return rows.isEmpty() ? "" : rows.get(0).getDomAttribute("data-state");
    }

    /** Clicks the batch's button, found again if the row was redrawn in between. */
    private static void clickBatch(String batch, String command) {
        By button = By.cssSelector("#batch-list tr[data-batch='" + batch + "'] button[data-command='" + command + "']");
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    List<WebElement> found = d.findElements(button);
                    if (found.isEmpty()) {
                        return false;
                    }
                    found.get(0).click();
                    return true;
                });
    }

    static HttpResponse<String> post(String url, String userPassword, String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static String phaseOnPage() {
        return browser.findElement(By.cssSelector("#phase [data-phase]")).getText();
    }

    /** A POST from the page's own JavaScript with the session cookie, with or without its CSRF token. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> postFromPage(String path, boolean withToken) {
        return (Map<String, Object>) browser.executeAsyncScript("""
                const [path, withToken, done] = arguments;
                fetch('/api/v1/session', {headers: {'X-Requested-With': 'mxcutover-console'}})
                  .then(r => r.json())
                  .then(s => fetch(path, {method: 'POST', headers: Object.assign(
                      {'Content-Type': 'application/json', 'X-Requested-With': 'mxcutover-console'},
                      withToken ? {'X-CSRF-Token': s.csrfToken} : {}), body: '{"reason": "forged"}'}))
                  .then(r => r.text().then(t => done({status: r.status, body: t})));
                """, path, withToken);
    }

    private static WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> {
            List<WebElement> found = d.findElements(by);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("banner has %s:%n%s", regex, text).isTrue();
        return m.group(1);
    }

    static HttpResponse<String> get(String url, String userPassword) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (userPassword != null) {
            r.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
