package io.wafleet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.platform.FreePorts;
import io.wafleet.platform.junit.OutsideTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromium-driver) against the running platform: every
 * service as its own process, the simulated fleet of examples/servers.json, the embedded broker and database.
 */
@ResourceLock(DemoTests.ONE_AT_A_TIME)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String VICTIM = "WA-Production-us-east-02";

    @TempDir
    static Path data;

    private static DemoPlatform platform;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        List<Path> chrome = OutsideTool.of(
                        "Chromium and its driver",
                        "apt-get install chromium chromium-driver",
                        System.getProperty("wafleet.chromium", "chromium"),
                        System.getProperty("wafleet.chromedriver", "chromedriver"))
                .require();
        Path home = Path.of(System.getProperty("wafleet.home", ".."))
                .toAbsolutePath()
                .normalize();
        FreePorts ports = new FreePorts();
        platform = DemoPlatform.start(
                home,
                data,
                home.resolve("examples/servers.json"),
                Ports.of(ports.next(), ports.next(), ports.next(), ports.next(), ports.next()),
                ports.next(),
                // Nobody scans in this test: the QR stays on screen.
                Duration.ofMinutes(10));
        ChromeOptions options = new ChromeOptions()
                .setBinary(chrome.get(0).toString())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,1200");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chrome.get(1).toFile())
                .build();
        browser = new ChromeDriver(service, options);
        browser.get(platform.routerUrl() + "/#token=" + platform.adminToken());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void theDashboardListsEveryServerOfTheFleetAndItsPools() throws IOException {
        await().atMost(WAIT)
                .until(() ->
                        statuses().size() == 12 && statuses().values().stream().allMatch("HEALTHY"::equals));

        assertThat(browser.findElement(By.id("live")).getText()).isEqualTo("live");
        assertThat(statuses()).containsEntry(VICTIM, "HEALTHY");
        assertThat(texts("#fleet tbody tr"))
                .anySatisfy(text -> assertThat(text).contains(VICTIM).contains("production / us-east"));
        assertThat(texts("#pools tbody tr td:first-child"))
                .contains("production", "staging", "development", "production / eu-west");
        // What each server reports of itself, and a WAHA Core server's one seat whatever its config says (500).
        assertThat(texts("#fleet tbody tr"))
                .anySatisfy(text -> assertThat(text)
                        .contains("WA-Production-us-east-05")
                        .contains("waha core 2024.10.8")
                        .contains("0 / 1"))
                .anySatisfy(text ->
                        assertThat(text).contains("WA-Development-ap-south-03").contains("evolution 1.8.2"));
        screenshot("dashboard");
    }

    @Test
    @Order(2)
    void aServerTurnsUnhealthyAfterAFaultAndHealthyAfterRecovery() throws IOException {
        click(By.cssSelector("tr[data-server-name='" + VICTIM + "'] button[data-fault='down']"));

        await().atMost(WAIT).until(() -> "UNHEALTHY".equals(statuses().get(VICTIM)));
        await().atMost(WAIT)
                .until(() -> browser.findElement(By.id("events")).getText().contains("STATUS_CHANGED"));
        screenshot("fault");

        click(By.cssSelector("tr[data-server-name='" + VICTIM + "'] button[data-recover]"));

        await().atMost(WAIT).until(() -> "HEALTHY".equals(statuses().get(VICTIM)));
    }

    @Test
    @Order(3)
    void connectingAnAccountShowsItsQrCode() throws IOException {
        browser.findElement(By.id("account-id")).sendKeys("browser-test-account");
        browser.findElement(By.id("account-environment")).sendKeys("production");
        browser.findElement(By.id("account-connect")).click();

        await().atMost(WAIT)
                .until(() -> browser.findElement(By.id("account-qr")).isDisplayed());
        WebElement qr = browser.findElement(By.id("account-qr"));
        assertThat(qr.getAttribute("src")).startsWith("data:image/png;base64,");
        assertThat(browser.findElement(By.id("account-result")).getAttribute("data-state"))
                .isEqualTo("QR_REQUIRED");
        // The image really decoded: a QR PNG has a natural size.
        assertThat(((Number) ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", qr))
                        .intValue())
                .isGreaterThan(100);
        screenshot("account");
    }

    @Test
    @Order(4)
    void anAccountsMessagesShowInItsViewAndTheFleetsInTheMessagesPanel() throws Exception {
        // The account waits for a scan (nobody scans here): its message is QUEUED and stays so.
        java.net.http.HttpResponse<String> posted = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        platform.routerUrl() + "/api/v1/accounts/browser-test-account/messages"))
                                .header("Authorization", "Bearer " + platform.adminToken())
                                .header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "{\"messageId\":\"browser-msg-1\",\"recipient\":\"491701234567\","
                                                + "\"text\":\"hello from the browser test\"}"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

        await().atMost(WAIT).ignoreExceptions().until(() -> {
            click(By.id("account-lookup"));
            return browser.findElement(By.id("account-messages")).isDisplayed()
                    && browser.findElement(By.id("account-messages")).getText().contains("browser-msg-1");
        });
        assertThat(browser.findElement(By.id("account-messages")).getText())
                .contains("QUEUED")
                .contains("491701234567");
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> !browser.findElement(By.id("messages"))
                        .findElements(By.cssSelector("tbody tr"))
                        .isEmpty());
        assertThat(browser.findElement(By.id("messages")).getText()).contains("WA-Production");
        screenshot("messages");
    }

    @Test
    @Order(5)
    void withoutATokenTheDashboardSaysItNeedsOneAndShowsNothing() {
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.get(platform.routerUrl() + "/");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> browser.findElement(By.id("live")).getText().equals("needs a token"));
        assertThat(statuses()).isEmpty();
    }

    /** Each row's server name and status, read in one go (the table is redrawn every 2 s). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> statuses() {
        List<String> pairs = (List<String>) ((JavascriptExecutor) browser)
                .executeScript("return [...document.querySelectorAll('#fleet tbody tr')]"
                        + ".map(r => r.dataset.serverName + '=' + r.dataset.status)");
        Map<String, String> statuses = new TreeMap<>();
        pairs.forEach(
                pair -> statuses.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1)));
        return statuses;
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(String selector) {
        return (List<String>) ((JavascriptExecutor) browser)
                .executeScript("return [...document.querySelectorAll(arguments[0])].map(e => e.innerText)", selector);
    }

    private static void click(By button) {
        await().atMost(Duration.ofSeconds(10))
                .ignoreException(StaleElementReferenceException.class)
                .until(() -> {
                    browser.findElement(button).click();
                    return true;
                });
    }

    /** Saved under target/screenshots; with -Dwafleet.update-screenshots=true also to docs/screenshots. */
    private static void screenshot(String name) throws IOException {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "screenshots");
        Files.createDirectories(target);
        Files.copy(shot, target.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        if (Boolean.getBoolean("wafleet.update-screenshots")) {
            Path docs = Path.of(System.getProperty("wafleet.home", ".."), "docs", "screenshots");
            Files.createDirectories(docs);
            Files.copy(shot, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
