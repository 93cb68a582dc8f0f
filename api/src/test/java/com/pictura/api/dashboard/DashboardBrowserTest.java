package com.pictura.api.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.pictura.api.Http;
import com.pictura.api.IntegrationTest;
import com.pictura.api.security.SessionAuthentication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person in a real browser (Debian's headless Chromium, driven by Selenium through chromedriver; {@code .ci/run}
 * installs both): sign up, verify the email from the outbox, create a key, call {@code /v1} with it, see the call
 * and the new balance, buy a pack on Stripe's (simulated) page, see the credits arrive, revoke the key, and the key
 * is refused. Screenshots of the main pages go to {@code docs/screenshots/}.
 */
class DashboardBrowserTest extends IntegrationTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The module runs its tests in {@code api/}: the screenshots belong to the repository's docs. */
    private static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");

    private ChromeDriver browser;
    private WebDriverWait wait;
    private String base;

    @BeforeEach
    void openBrowser() throws IOException {
        assertThat(CHROMIUM).as("the browser test needs Debian's chromium and chromium-driver (apt-get install "
                + "chromium chromium-driver; .ci/run does)").exists();
        assertThat(CHROMEDRIVER).exists();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        // The flags a closed network and a root sandbox need (no sandbox, no background connections).
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory("pictura-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        // Stripe's return links name 127.0.0.1 in the embedded default: the browser comes back to the same origin.
        base = "http://127.0.0.1:" + port;
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            // The last page the browser showed, to see why a step failed.
            Files.write(Path.of("target", "browser-last-page.png"), browser.getScreenshotAs(OutputType.BYTES));
            browser.quit();
        }
    }

    @Test
    void signUpVerifyCreateAKeyCallBuyRevoke() throws IOException {
        String email = uniqueEmail("browser");
        browser.get(base + "/#/signup");
        type("signup-email", email);
        type("signup-password", "short");
        click("signup-ageConfirmed");
        click("signup-termsAccepted");
        click("signup-submit");
        // The server's refusal names the field, and the page shows it next to that field.
        assertThat(visible("signup-password-error").getText()).containsIgnoringCase("12");
        type("signup-password", "correct horse battery staple");
        screenshot("sign-up");
        click("signup-submit");

        // The first look after sign-up shows the 25 free credits.
        assertThat(balance("balance-available")).isEqualByComparingTo("25");
        assertThat(balance("balance-promotional")).isEqualByComparingTo("25");
        visible("verify-banner");
        String session = browser.manage().getCookieNamed(SessionAuthentication.COOKIE).getValue();

        // Until the email is verified, no key: the link arrives in the built-in outbox.
        click("outbox-link");
        screenshot("outbox");
        click("outbox-mail-link");
        visible("verify-done");
        click("verify-continue");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("verify-banner")));

        click("nav-keys");
        type("key-name", "browser test");
        click("key-submit");
        String secret = visible("key-secret").getText().strip();
        assertThat(secret).isNotBlank();
        screenshot("keys");

        var call = http.post("/v1/chat/completions", secret, Map.of("model", "llama-3.1-8b-instruct",
                "messages", List.of(Map.of("role", "user", "content", "Hello from the browser test"))));
        assertThat(call.status()).as(call.body()).isEqualTo(200);
        String requestId = call.header("x-request-id");
        BigDecimal afterCall = new BigDecimal(http.get("/api/me", session).json().at("/balance/available").asString());
        assertThat(afterCall).isLessThan(new BigDecimal("25"));

        // The usage read model follows the ledger within moments (the page says so); the balance is read fresh.
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/usage/" + requestId, session).status() == 200);
        click("nav-usage");
        visible("chart-per-day");
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("[data-test=call-row][data-request-id='" + requestId + "']")));
        screenshot("usage");
        click("nav-overview");
        assertThat(balance("balance-available")).as("the overview shows the balance after the call")
                .isEqualByComparingTo(afterCall);
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#recent-calls [data-request-id='" + requestId + "']")));
        screenshot("overview");

        click("nav-buy");
        screenshot("buy");
        click("buy-credits-500");
        WebElement pay = wait.until(ExpectedConditions.elementToBeClickable(By.id("pay")));
        screenshot("stripe-checkout");
        pay.click();
        visible("purchase-done");
        assertThat(balance("balance-available")).as("500 credits bought").isEqualByComparingTo(
                afterCall.add(new BigDecimal("500")));
        assertThat(balance("balance-paid")).isEqualByComparingTo("500");
        screenshot("purchase-arrived");

        click("nav-ledger");
        wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("[data-test=ledger-row]"), 2));
        screenshot("ledger");
        click("nav-quickstart");
        visible("qs-curl");
        screenshot("quick-start");

        click("nav-keys");
        WebElement revoke = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-test=key-revoke]")));
        revoke.click();
        click("confirm-ok");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-test=key-row][data-active=false]")));
        var refused = http.get("/v1/models", secret);
        assertThat(refused.status()).as("the revoked key is refused").isEqualTo(401);

        browser.manage().window().setSize(new Dimension(390, 844));
        click("nav-toggle");
        click("nav-overview");
        visible("balance-available");
        screenshot("overview-phone");
    }

    private WebElement visible(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    private void click(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id(id))).click();
    }

    private void type(String id, String text) {
        WebElement field = visible(id);
        field.clear();
        field.sendKeys(text);
    }

    /** The exact amount a balance element carries, once it shows one. */
    private BigDecimal balance(String id) {
        WebElement element = wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
        wait.until(d -> element.getDomAttribute("data-value") != null);
        return new BigDecimal(element.getDomAttribute("data-value"));
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
