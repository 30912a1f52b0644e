package org.jobstack.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.jobstack.job.run.JobDispatcher;
import org.jobstack.node.Nodes;
import org.jobstack.node.WorkerPauses;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.PageLoadStrategy;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The dashboard in a real headless Chromium: sign in, watch jobs live, launch a trigger, cancel a job. */
class DashboardBrowserTest extends IntegrationTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    @Autowired
    WorkerPauses pauses;

    @Autowired
    JobDispatcher dispatcher;

    @Autowired
    Nodes nodes;

    private WebDriver browser;
    private WebDriverWait wait;
    private WebDriverWait clicks;
    private String domain;
    private String token;

    @BeforeEach
    void open() throws Exception {
        assumeTrue(
                new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute(),
                "Debian's chromium and chromium-driver are needed (.ci/run installs them)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.setPageLoadStrategy(PageLoadStrategy.EAGER);
        options.setPageLoadTimeout(Duration.ofSeconds(20));
        options.setScriptTimeout(Duration.ofSeconds(20));
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--window-size=1200,1000",
                "--user-data-dir=" + Files.createTempDirectory("chrome"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        // A condition read while a form submission navigates fails with "aborted by navigation"; read it again.
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(WebDriverException.class);
        clicks = new WebDriverWait(browser, Duration.ofSeconds(20));
        clicks.ignoring(StaleElementReferenceException.class);
        domain = api.newInstance(null);
        token = api.cliToken(domain, "io.cozy.apps io.cozy.jobs io.cozy.triggers");
        assertThat(api.call(
                                domain,
                                token,
                                "POST",
                                "/apps/probe?Source=" + Api.enc(PROBE.toUri().toString()),
                                null)
                        .status())
                .isEqualTo(202);
        signIn();
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String admin(String path) {
        return "http://127.0.0.1:" + api.adminPort() + path;
    }

    /**
     * Opens a page and waits for its document: with the eager load strategy, {@code get} can return
     * while the page it leaves (the overview keeps a push stream open) is still the one shown.
     */
    private void visit(String path) {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript("window.leftBehind = true");
        browser.get(admin(path));
        wait.until(d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript("return window.leftBehind !== true && document.readyState !== 'loading'"));
    }

    private void signIn() {
        visit("/dashboard");
        wait.until(ExpectedConditions.urlContains("/dashboard/login"));
        browser.findElement(By.id("passphrase")).sendKeys("wrong");
        click(By.id("sign-in"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("error"), "not the passphrase"));
        browser.findElement(By.id("passphrase")).sendKeys(PASSPHRASE);
        click(By.id("sign-in"));
        wait.until(ExpectedConditions.titleContains("Overview"));
    }

    private String push(String service) {
        return api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/queue/service",
                        "{\"data\":{\"attributes\":{\"arguments\":" + "{\"slug\":\"probe\",\"name\":\"" + service
                                + "\"}}}}")
                .json()
                .path("data")
                .path("id")
                .asString();
    }

    @Test
    void should_keep_every_dashboard_page_and_action_behind_the_sign_in() {
        Api.Response page = api.adminWith(null, "GET", "/dashboard/jobs");
        Api.Response action = api.adminWith(null, "POST", "/dashboard/jobs/" + "0".repeat(32) + "/cancel");
        Api.Response stream = api.adminWith(null, "GET", "/dashboard/stream?view=overview");
        Api.Response wrongCookie = api.adminWith(null, "GET", "/webjars/htmx.org/2.0.4/dist/htmx.min.js");

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).endsWith("/dashboard/login");
        assertThat(action.status()).isEqualTo(302);
        assertThat(stream.status()).isEqualTo(302);
        assertThat(wrongCookie.status()).isEqualTo(401);
        String job = "0".repeat(32);
        for (String operatorAction : List.of(
                "/dashboard/jobs/" + job + "/retry",
                "/dashboard/jobs/" + job + "/delete",
                "/dashboard/jobs/retry-errored",
                "/dashboard/workers/service/pause",
                "/dashboard/workers/service/resume",
                "/dashboard/instances/" + domain + "/triggers/" + job + "/launch",
                "/dashboard/instances/" + domain + "/triggers/" + job + "/pause",
                "/dashboard/instances/" + domain + "/triggers/" + job + "/resume",
                "/dashboard/instances/" + domain + "/triggers/" + job + "/delete")) {
            Api.Response refused = api.adminWith(null, "POST", operatorAction);
            assertThat(refused.status()).as(operatorAction).isEqualTo(302);
            assertThat(refused.header("Location")).as(operatorAction).endsWith("/dashboard/login");
        }
        assertThat(pauses.refresh())
                .as("nothing was paused by the refused calls")
                .doesNotContain("service");
        assertThat(api.plainGet("/dashboard").status())
                .as("not on the main port")
                .isEqualTo(404);
    }

    @Test
    void should_show_a_job_appear_and_finish_live_without_reloading() throws Exception {
        visit("/dashboard?domain=" + domain);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("counts")));
        ((JavascriptExecutor) browser).executeScript("window.notReloaded = true");

        String job = push("slow");

        By row = By.cssSelector("tr[data-job='" + job + "'] td.state");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        wait.until(d -> d.findElement(row).getText().equals("done"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.notReloaded"))
                .isEqualTo(true);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("counts"), "service"));
        Path shot = Path.of("target/dashboard-overview.png");
        Files.copy(
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                shot,
                StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(shot)).isGreaterThan(10_000);
    }

    @Test
    void should_launch_a_trigger_from_its_instance_page() {
        String trigger = api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/triggers",
                        "{\"data\":{\"attributes\":{\"type\":"
                                + "\"@cron\",\"arguments\":\"0 0 0 1 1 *\",\"worker\":\"log\",\"message\":{\"message\":\"hi\"}}}}")
                .json()
                .path("data")
                .path("id")
                .asString();
        visit("/dashboard/instances/" + domain);

        browser.findElement(By.cssSelector("tr[data-trigger='" + trigger + "'] button.launch"))
                .click();

        wait.until(ExpectedConditions.urlContains("/dashboard/jobs/"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-state"), "done"));
        assertThat(browser.getPageSource()).contains(trigger);
    }

    @Test
    void should_cancel_a_running_job_and_show_it_errored_with_the_reason() {
        String job = push("idle");
        visit("/dashboard?domain=" + domain);
        // the row is read afresh at each try: a push can replace the live part between finding and reading it
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("tr[data-running='" + job + "']"), "service"));
        visit("/dashboard/jobs/" + job);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-state"), "running"));

        clicks.until(d -> {
            d.findElement(By.id("cancel")).click();
            return true;
        });

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-state"), "errored"));
        wait.until(ExpectedConditions.textToBe(By.id("job-error"), "cancelled: asked by the dashboard"));
        assertThat(api.call(domain, token, "GET", "/jobs/" + job, null)
                        .json()
                        .path("data")
                        .path("attributes")
                        .path("state")
                        .asString())
                .isEqualTo("errored");
    }

    @Test
    void should_pause_a_worker_type_so_its_jobs_wait_and_run_them_once_resumed() {
        visit("/dashboard");
        try {
            clickLive(
                    "tr[data-worker='service'] button.pause",
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.className("notice"), "Worker service paused"));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-worker='service'].paused")));

            String job = push("slow");
            dispatcher.wake();
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> state(job).equals("queued"));

            clickLive(
                    "tr[data-worker='service'] button.resume",
                    ExpectedConditions.textToBePresentInElementLocated(
                            By.className("notice"), "Worker service resumed"));
            await().atMost(Duration.ofSeconds(20)).until(() -> state(job).equals("done"));
        } finally {
            pauses.resume("service");
        }
    }

    @Test
    void should_drain_this_node_so_it_claims_nothing_and_undrain_it() {
        visit("/dashboard");
        String self = nodes.selfId();
        String row = "tr[data-node='" + self + "']";
        try {
            clickLive(
                    row + " button.drain",
                    ExpectedConditions.textToBePresentInElementLocated(By.className("notice"), "drained"));
            wait.until(
                    ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(row + " td.state"), "draining"));

            String job = push("slow");
            dispatcher.wake();
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> state(job).equals("queued"));

            clickLive(
                    row + " button.undrain",
                    ExpectedConditions.textToBePresentInElementLocated(By.className("notice"), "claims jobs again"));
            await().atMost(Duration.ofSeconds(20)).until(() -> state(job).equals("done"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(row + " td.state"), "active"));
        } finally {
            nodes.undrain(self);
        }
    }

    @Test
    void should_show_attempts_with_exit_codes_retry_an_errored_job_and_delete_it() {
        String job = push("fail");
        visit("/dashboard/jobs/" + job);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-state"), "errored"));
        wait.until(d -> d.findElements(By.cssSelector("#attempts tbody tr")).size() == 2);
        assertThat(browser.findElements(By.cssSelector("#attempts td.exit-code")))
                .extracting(e -> e.getText())
                .containsExactly("3", "3");
        assertThat(browser.findElements(By.cssSelector("#attempts td.outcome")))
                .extracting(e -> e.getText())
                .containsExactly("retry", "errored");

        click(By.id("retry"));

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("notice"), "Queued again"));
        wait.until(d -> d.findElements(By.cssSelector("#attempts tbody tr")).size() == 4);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-state"), "errored"));

        click(By.id("delete"));
        browser.switchTo().alert().accept();

        wait.until(
                ExpectedConditions.textToBePresentInElementLocated(By.className("notice"), "Job " + job + " deleted"));
        assertThat(api.call(domain, token, "GET", "/jobs/" + job, null).status())
                .isEqualTo(404);
    }

    @Test
    void should_retry_every_errored_job_matching_the_filters_at_once() {
        List<String> jobs = List.of(push("fail"), push("fail"));
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs.stream().allMatch(j -> state(j).equals("errored")));
        visit("/dashboard/jobs?state=errored&app=nope&since=1h&domain=" + domain);
        assertThat(browser.findElements(By.cssSelector("#jobs tbody tr")))
                .as("no job of app nope")
                .isEmpty();
        visit("/dashboard/jobs?state=errored&app=probe&since=1h&domain=" + domain);
        wait.until(d -> d.findElements(By.cssSelector("#jobs tbody tr")).size() == 2);

        click(By.id("retry-errored"));
        browser.switchTo().alert().accept();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.className("notice"), "2 errored jobs queued again"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.stream()
                        .allMatch(j -> api.call(domain, token, "GET", "/jobs/" + j, null)
                                                .json()
                                                .path("data")
                                                .path("attributes")
                                                .path("attempts")
                                                .asInt()
                                        == 4
                                && state(j).equals("errored")));
    }

    @Test
    void should_show_services_and_open_window_and_pause_resume_and_delete_a_trigger() {
        String trigger = api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/triggers",
                        "{\"data\":{\"attributes\":{\"type\":"
                                + "\"@event\",\"arguments\":\"io.cozy.windows\",\"worker\":\"log\",\"debounce\":\"1h\"}}}")
                .json()
                .path("data")
                .path("id")
                .asString();
        assertThat(api.admin(
                                "POST",
                                "/instances/" + domain + "/events",
                                "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.windows\",\"doc\":{\"_id\":\"w1\"}}")
                        .status())
                .isEqualTo(202);
        String hourly = api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/triggers",
                        "{\"data\":{\"attributes\":{\"type\":\"@cron\",\"arguments\":\"0 0 * * * *\",\"worker\":\"log\"}}}")
                .json()
                .path("data")
                .path("id")
                .asString();
        String row = "tr[data-trigger='" + trigger + "']";
        visit("/dashboard/instances/" + domain);

        assertThat(browser.findElements(By.cssSelector("tr[data-trigger='" + hourly + "'] td.next-runs time")).stream()
                        .map(WebElement::getText)
                        .toList())
                .as("the next runs the API lists")
                .containsExactlyElementsOf(StreamSupport.stream(
                                api.call(domain, token, "GET", "/jobs/triggers/" + hourly + "/next?Count=3", null)
                                        .json()
                                        .path("data")
                                        .path("attributes")
                                        .path("next_runs")
                                        .spliterator(),
                                false)
                        .map(JsonNode::asString)
                        .toList());
        assertThat(browser.findElement(By.cssSelector(row + " td.next-runs")).getText())
                .isEqualTo("–");

        assertThat(browser.findElement(By.cssSelector("tr[data-app='probe'] li[data-service='flaky']"))
                        .getText())
                .contains("services/flaky.js");
        assertThat(browser.findElement(By.cssSelector(row + " td.window")).getText())
                .startsWith("1 occurrence(s), closes ");

        click(By.cssSelector(row + " button.pause"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row + ".paused")));
        assertThat(browser.findElement(By.className("notice")).getText()).contains("paused");
        click(By.cssSelector(row + " button.resume"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("notice"), "resumed"));
        assertThat(browser.findElements(By.cssSelector(row + ".paused"))).isEmpty();

        click(By.cssSelector(row + " button.delete"));
        browser.switchTo().alert().accept();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.className("notice"), "deleted"));
        assertThat(browser.findElements(By.cssSelector(row))).isEmpty();
        assertThat(api.call(domain, token, "GET", "/jobs/triggers/" + trigger, null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void should_fit_a_phone_screen_without_the_page_scrolling_sideways() throws Exception {
        String job = push("fail");
        browser.manage().window().setSize(new Dimension(390, 844));

        for (String page :
                List.of("/dashboard", "/dashboard/jobs", "/dashboard/jobs/" + job, "/dashboard/instances/" + domain)) {
            visit(page);
            wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("main")));
            Object overflow = ((JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(((Number) overflow).intValue())
                    .as("sideways overflow of %s", page)
                    .isLessThanOrEqualTo(0);
        }
        visit("/dashboard");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("counts")));
        Files.copy(
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
                Path.of("target/dashboard-phone.png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Clicks a button of the overview's live part, found and clicked in one script run by the page:
     * a push can swap that part at any time, and a click made of separate steps (find, press,
     * release) can then reach a replaced button and submit nothing.
     */
    private void clickLive(String css, ExpectedCondition<?> done) {
        try {
            // a click whose script run was cut short by the navigation it started shows its outcome
            wait.until(d -> holds(done, d)
                    || (Boolean) ((JavascriptExecutor) d)
                            .executeScript(
                                    "const b = document.querySelector(arguments[0]); if (b) b.click(); return b != null;",
                                    css));
            wait.until(done);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    "no outcome after clicking " + css + " on " + browser.getCurrentUrl() + "; the page shows:\n"
                            + browser.findElement(By.tagName("main")).getText()
                            + "\nand this node is " + nodes.get(nodes.selfId()),
                    e);
        }
    }

    private static boolean holds(ExpectedCondition<?> condition, WebDriver page) {
        try {
            Object outcome = condition.apply(page);
            return outcome != null && !Boolean.FALSE.equals(outcome);
        } catch (NoSuchElementException | StaleElementReferenceException notYet) {
            return false;
        }
    }

    /** Clicks once: a click is not retried after a navigation error, since it may have submitted already. */
    private void click(By button) {
        clicks.until(d -> {
            d.findElement(button).click();
            return true;
        });
    }

    private String state(String job) {
        return api.call(domain, token, "GET", "/jobs/" + job, null)
                .json()
                .path("data")
                .path("attributes")
                .path("state")
                .asString();
    }
}
