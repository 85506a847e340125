package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.CliRun;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.OutboxPaths;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.TakesScreenshot;

/**
 * The dashboard in a real browser (headless Chromium through Selenium): a one-time login link from
 * comms dashboard.open opens a session, an admin sees every operator and sequence, an operator only
 * their own; the link works once; screenshots go to cli/target/.
 */
@ExtendWith(Chromium.class)
class DashboardBrowserTest {
  @TempDir static Path tmp;
  static ServeFixture f;
  static String danaSeq;
  static String samSeq;

  @BeforeAll
  static void start() throws Exception {
    f = new ServeFixture(tmp);
    danaSeq = f.draftWith(ServeFixture.ADMIN, "Dana Launch", 3);
    f.ok("yes\n", "replies.sync", "--as", ServeFixture.ADMIN, "--execute"); // a launch with later stages needs the owner's reply watch healthy
    ServeFixture.Answer launched = f.post("/api/sequences/" + danaSeq + "/launch", f.token(ServeFixture.ADMIN), Map.of("state_version", 1));
    assertEquals(200, launched.status(), launched::toString);
    // one recipient is suppressed after enrolling: the worker's pass blocks that stage send, a problem the dashboard lists
    f.ok("yes\n", "suppression.add", "--address", "dana-launch-0@example.com", "--reason", "asked to stop", "--as", ServeFixture.ADMIN, "--execute");
    CliRun.Result run = f.cli().run("sequence.run", "--as", ServeFixture.ADMIN);
    assertTrue(run.exit() == 0 || run.exit() == 4, run::toString);
    samSeq = f.draftWith(ServeFixture.OPERATOR, "Sam <b>Draft</b>", 51);
    f.ok("yes\n", "replies.sync", "--as", ServeFixture.OPERATOR, "--execute");
    // a transactional send of Dana's that was dead-lettered, as the governed path logs one after its retries
    DeliveryJournal.of(new OutboxPaths(f.outbox), null).appendAll(List.of(DeliveryRecord.builder()
        .time(Instant.parse(ServeFixture.NOW).minusSeconds(600)).deliveryId("dlv_deadletter1").runKey("run-dl").mode("live").channel("sms")
        .messageType("order_ready").provider("twilio").to("+15551230000").status("dead_letter").error("provider_error:503 after 5 attempts")
        .idempotencyKey("k-dl").operator(ServeFixture.ADMIN).attempts(5).build()));
    f.ok("yes\n", "approval.confirm", samSeq, "--as", ServeFixture.ADMIN, "--execute");
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  static WebDriver browser(Path profile) {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(Chromium.BROWSER.toFile());
    o.addArguments(
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--no-default-browser-check",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage", "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Chromium.DRIVER.toFile()).usingAnyFreePort().build();
    WebDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return d;
  }

  static String link(String email) {
    CliRun.Result r = f.cli().run("dashboard.open", "--as", email, "--url", f.base);
    assertEquals(0, r.exit(), r::toString);
    String link = r.out().strip();
    assertTrue(link.startsWith(f.base + "/dashboard/login?token="), link);
    return link;
  }

  static void screenshot(WebDriver d, String name) throws Exception {
    File shot = ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target").toAbsolutePath().resolve(name);
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    assertTrue(Files.size(target) > 1000, "empty screenshot " + target);
  }

  static List<String> column(WebDriver d, String table, int col) {
    return d.findElements(By.cssSelector("#" + table + " tbody tr")).stream().map(tr -> tr.findElements(By.tagName("td")).get(col).getText()).toList();
  }

  @Test
  void anAdminSeesEveryOperatorAndSequenceAndTheLinkWorksOnce() throws Exception {
    WebDriver d = browser(Files.createTempDirectory(tmp, "chrome-admin"));
    try {
      String link = link(ServeFixture.ADMIN);
      d.get(link);
      assertTrue(d.getCurrentUrl().endsWith("/api/dashboard"), d.getCurrentUrl());
      assertEquals("comms dashboard", d.getTitle());
      assertTrue(d.findElement(By.id("viewer")).getText().contains(ServeFixture.ADMIN + " (admin): every operator is shown"), d.getPageSource());
      List<String> operators = column(d, "operators", 0);
      assertTrue(operators.contains(ServeFixture.ADMIN) && operators.contains(ServeFixture.OPERATOR), operators::toString);
      List<String> sequences = column(d, "sequences", 0);
      assertTrue(sequences.contains(danaSeq) && sequences.contains(samSeq), sequences::toString);
      // markup in a sequence name is shown as text, never run as HTML
      assertTrue(column(d, "sequences", 1).contains("Sam <b>Draft</b>"), d::getPageSource);
      assertTrue(d.findElements(By.tagName("b")).isEmpty(), d::getPageSource);
      WebElement gate = d.findElement(By.xpath("//table[@id='sequences']//tr[td[1]='" + samSeq + "']/td[7]"));
      assertEquals("launch needs confirm", gate.getText());
      assertEquals(List.of(danaSeq, "transactional sms"), column(d, "problems", 1), d::getPageSource);
      assertTrue(column(d, "problems", 4).contains("blocked"), d::getPageSource);
      assertTrue(column(d, "problems", 1).contains("transactional sms") && column(d, "problems", 2).contains("dlv_deadletter1"), d::getPageSource);
      assertTrue(column(d, "problems", 4).contains("dead_letter"), d::getPageSource);
      assertTrue(column(d, "approvals", 3).contains("confirmed by " + ServeFixture.ADMIN + ", not yet cited"), d::getPageSource);
      List<String> watched = column(d, "watches", 0);
      assertTrue(watched.contains(ServeFixture.ADMIN) && watched.contains(ServeFixture.OPERATOR), watched::toString);
      WebElement samWatch = d.findElement(By.xpath("//table[@id='watches']//tr[td[1]='" + ServeFixture.OPERATOR + "']/td[3]"));
      assertEquals("healthy", samWatch.getText());
      screenshot(d, "dashboard-admin.png");
      d.manage().deleteAllCookies();
      d.get(link);
      assertTrue(d.getPageSource().contains("link_used"), d::getPageSource);
    } finally {
      d.quit();
    }
  }

  @Test
  void anOperatorSeesOnlyTheirOwnRows() throws Exception {
    WebDriver d = browser(Files.createTempDirectory(tmp, "chrome-operator"));
    try {
      d.get(link(ServeFixture.OPERATOR));
      assertTrue(d.findElement(By.id("viewer")).getText().contains(ServeFixture.OPERATOR + " (operator): your own"), d::getPageSource);
      assertEquals(List.of(ServeFixture.OPERATOR), column(d, "operators", 0));
      assertEquals(List.of(samSeq), column(d, "sequences", 0));
      assertFalse(d.getPageSource().contains(danaSeq) || d.getPageSource().contains("dana-launch-") || d.getPageSource().contains("dlv_deadletter1"), d::getPageSource);
      assertFalse(d.findElements(By.id("next-due-none")).isEmpty(), d::getPageSource);
      assertFalse(d.findElements(By.id("problems-none")).isEmpty(), d::getPageSource);
      assertEquals(List.of(ServeFixture.OPERATOR), column(d, "watches", 0));
      assertEquals(List.of("healthy"), column(d, "watches", 2));
      screenshot(d, "dashboard-operator.png");
    } finally {
      d.quit();
    }
  }

  @Test
  void thePageIsScriptFreeUnderAStrictPolicyAndTheCookieIsLockedDown() {
    ServeFixture.Answer page = f.get("/api/dashboard", f.token(ServeFixture.OPERATOR));
    assertEquals(200, page.status(), page::toString);
    String csp = page.header("Content-Security-Policy");
    assertTrue(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe"), csp);
    assertFalse(page.body().contains("<script"), page.body());
    ServeFixture.Answer login = f.send(HttpRequest.newBuilder(URI.create(link(ServeFixture.OPERATOR))).GET().build());
    assertEquals(303, login.status(), login::toString);
    String cookie = login.header("Set-Cookie");
    assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age=900") && !cookie.contains("Secure"), cookie);
    ServeFixture.Answer noSession = f.get("/api/dashboard", null);
    assertEquals(401, noSession.status(), noSession::toString);
    // the session cookie opens the read-only page only, never the JSON API
    String value = cookie.substring(0, cookie.indexOf(';'));
    ServeFixture.Answer api = f.send(HttpRequest.newBuilder(URI.create(f.base + "/api/sequences")).header("Cookie", value).GET().build());
    assertEquals(401, api.status(), api::toString);
    ServeFixture.Answer withCookie = f.send(HttpRequest.newBuilder(URI.create(f.base + "/api/dashboard")).header("Cookie", value).GET().build());
    assertEquals(200, withCookie.status(), withCookie::toString);
  }
}
