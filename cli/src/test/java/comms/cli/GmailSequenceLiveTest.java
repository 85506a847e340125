package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import comms.core.provider.GoogleTokenEndpoint;
import comms.core.provider.PrismMocks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sequence owned by a Gmail operator, end to end in live mode through the real parser: the
 * service account's JWT grant on a loopback token endpoint, users.watch, users.history.list,
 * users.messages.get and users.messages.send against the Prism mock of Google's own Gmail
 * description (every request is checked against it). Prism's answers are fixed examples that do
 * not follow the request, so a loopback relay in front of it picks the example (Prefer) and, for
 * the reply, puts into Prism's message the ids of what this run really sent (as Ana's mail client
 * would): the reply is found through history and stops stage 2.
 */
@ExtendWith(PrismMocks.Plain.class)
class GmailSequenceLiveTest {
  static final String SAM = "sam@lakesideprint.com";
  static final String ANA = "ana.pereira@example.org";
  static final String TUESDAY = "2026-12-01T15:00:00Z";

  @TempDir Path tmp;
  GoogleTokenEndpoint google;
  MockWebServer relay;
  final Relay gmail = new Relay();
  Path bindings;

  /** Forwards to Prism's Gmail, choosing its example; keeps what we sent so the reply can answer it. */
  static final class Relay extends Dispatcher {
    final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Integer> prismStatuses = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final List<String> sentRaw = new CopyOnWriteArrayList<>();
    volatile boolean replied;

    @Override
    public MockResponse dispatch(RecordedRequest r) {
      String path = r.getUrl().encodedPath();
      String query = r.getUrl().encodedQuery();
      calls.add(r.getMethod() + " " + path);
      authorizations.add(String.valueOf(r.getHeaders().get("Authorization")));
      Request.Builder b = new Request.Builder().url(PrismMocks.GMAIL + path + (query == null ? "" : "?" + query));
      for (String h : List.of("Authorization", "Accept")) {
        if (r.getHeaders().get(h) != null) {
          b.header(h, r.getHeaders().get(h));
        }
      }
      boolean metadata = r.getMethod().equals("GET") && path.matches(".*/messages/[^/]+") && !path.endsWith("/send");
      if (path.endsWith("/history")) {
        b.header("Prefer", "example=" + (replied ? "messagesAdded" : "noChanges"));
      } else if (metadata) {
        b.header("Prefer", "example=metadata");
      }
      if (r.getMethod().equals("POST")) {
        byte[] body = r.getBody() == null ? new byte[0] : r.getBody().toByteArray();
        if (path.endsWith("/messages/send")) {
          Map<String, Object> m = Json.parseObject(new String(body, StandardCharsets.UTF_8));
          sentRaw.add(new String(Base64.getUrlDecoder().decode((String) m.get("raw")), StandardCharsets.UTF_8));
        }
        b.post(RequestBody.create(body, MediaType.get(String.valueOf(r.getHeaders().get("Content-Type")))));
      }
      try (Response a = http.newCall(b.build()).execute()) {
        String text = a.body().string();
        prismStatuses.add(a.code());
        if (metadata && a.code() == 200) {
          text = reply(text);
        }
        return new MockResponse.Builder().code(a.code()).addHeader("Content-Type", "application/json").body(text).build();
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }

    /** Prism's metadata example made Ana's answer to what we sent: our Message-ID in In-Reply-To/References, our subject, no auto-reply marker. */
    String reply(String prism) {
      String sent = sentRaw.get(sentRaw.size() - 1);
      String id = header(sent, "Message-ID");
      String subject = header(sent, "Subject");
      Map<String, Object> m = Json.parseObject(prism);
      @SuppressWarnings("unchecked")
      Map<String, Object> payload = (Map<String, Object>) m.get("payload");
      List<Map<String, Object>> headers = new ArrayList<>();
      headers.add(Map.of("name", "Message-ID", "value", "<CAH4x9vQe7ZVn0q1Lr8mYtP2oFsKj3bW6uDgA5cX@mail.gmail.com>"));
      headers.add(Map.of("name", "In-Reply-To", "value", id));
      headers.add(Map.of("name", "References", "value", id));
      headers.add(Map.of("name", "Subject", "value", "Re: " + subject));
      headers.add(Map.of("name", "From", "value", "Ana Pereira <" + ANA + ">"));
      headers.add(Map.of("name", "To", "value", "Sam Rivera <" + SAM + ">"));
      payload.put("headers", headers);
      m.put("snippet", "Thanks Sam, sounds good. Could you call me on Thursday?");
      return Json.write(m);
    }

    static String header(String message, String name) {
      Matcher x = Pattern.compile("(?m)^" + Pattern.quote(name) + ": ([^\r\n]*)\r\n").matcher(message);
      assertTrue(x.find(), () -> "no " + name + " in\n" + message);
      return x.group(1).strip();
    }
  }

  @BeforeEach
  void start() throws Exception {
    google = new GoogleTokenEndpoint();
    relay = new MockWebServer();
    relay.setDispatcher(gmail);
    relay.start();
    bindings = CliRun.copyBindings(tmp);
    CliRun.edit(bindings, "communications.delivery.contract.yaml", "mode: simulation", "mode: live");
    CliRun.edit(bindings, "communications.delivery.contract.yaml", "base_delay_ms: 500", "base_delay_ms: 1");
    CliRun.edit(bindings, "communications.providers.contract.yaml", "base_url: https://gmail.googleapis.com", "base_url: http://127.0.0.1:" + relay.getPort());
    CliRun.edit(bindings, "communications.providers.contract.yaml", "token_url: https://oauth2.googleapis.com/token", "token_url: " + google.url());
  }

  @AfterEach
  void stop() {
    relay.close();
    google.close();
  }

  CliRun cli() {
    Path key = google.writeKeyFile(tmp.resolve("service-account.json"));
    return new CliRun(tmp.resolve("outbox")).bindings(bindings).env("COMMS_NOW", TUESDAY).env("COMMS_OPERATOR", SAM)
        .env("COMMS_GMAIL_SERVICE_ACCOUNT_KEY_FILE", key.toString());
  }

  CliRun.Result yes(String... args) {
    CliRun.Result r = cli().stdin("yes\n").run(args);
    assertEquals(0, r.exit(), () -> String.join(" ", args) + "\n" + r);
    return r;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(CliRun.Result r) {
    return (Map<String, Object>) Json.parse(r.out());
  }

  @Test
  void aSendTestFromAPilotMailboxOnGmailGoesThroughMessagesSendAsThatMailbox() {
    CliRun.edit(bindings, "communications.stack.contract.yaml", "mode: simulation", "mode: live-pilot");
    CliRun.edit(bindings, "communications.stack.contract.yaml", "      owner: sam@lakesideprint.com\n      active: true",
        "      owner: sam@lakesideprint.com\n      active: true\n      provider: gmail");
    // orders@ stays on Graph, whose client (and so its secrets) is checked before the prompt; Graph itself is not called.
    CliRun c = cli();
    comms.core.provider.LiveFixtures.env().forEach(c::env);
    CliRun.Result r = c.stdin("yes\n").run(
        "mail.send.test", "--from", "proofs@lakesideprint.com", "--to", "dana@lakesideprint.com", "--subject", "pilot test", "--body", "hello", "--execute",
        "--output", "json");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(1, gmail.sentRaw.size(), gmail.calls::toString);
    assertTrue(gmail.calls.contains("POST /gmail/v1/users/proofs@lakesideprint.com/messages/send"), gmail.calls::toString);
    assertTrue(Relay.header(gmail.sentRaw.get(0), "From").contains("proofs@lakesideprint.com"));
    assertTrue(Relay.header(gmail.sentRaw.get(0), "Subject").startsWith("[comms pilot] pilot test"), gmail.sentRaw.get(0));
    assertEquals("proofs@lakesideprint.com", google.grants().get(0).subject());
    assertFalse(gmail.prismStatuses.stream().anyMatch(x -> x == 401 || x == 415 || x == 422), gmail.prismStatuses::toString);
  }

  @Test
  void aGmailOwnersSequenceSendsAsThemWatchesTheInboxAndAReplyFoundThroughHistoryStopsStageTwo() throws Exception {
    Path seq = Files.writeString(tmp.resolve("intro.sequence.yaml"), """
        version: 1
        name: Gmail intro
        zone: America/New_York
        window: { start: "08:00", end: "20:00" }
        stages:
          - medium: email
            delay: "0"
            trigger: always
            template: welcome_intro.email
          - medium: email
            delay: 3d
            trigger: no_reply
            template: welcome_followup.email
        """);
    Path csv = Files.writeString(tmp.resolve("intro.csv"), "email,first_name,company\n" + ANA + ",Ana,Pereira Prints\n");
    String id = (String) json(yes("sequence.create", "--file", seq.toString(), "--execute", "--output", "json")).get("id");
    yes("sequence.add-recipients", id, "--file", csv.toString(), "--execute");

    // Without an active Gmail watch and a sync, the two-stage sequence is not launched.
    CliRun.Result refused = cli().stdin("yes\n").run("sequence.launch", id, "--execute");
    assertEquals(4, refused.exit(), refused::toString);

    Map<String, Object> watch = json(yes("replies.watch", "--owner", SAM, "--execute", "--output", "json"));
    assertEquals("4824610", watch.get("history_id"));
    assertEquals("2026-12-08T09:00:00Z", watch.get("expiration"));
    assertEquals(Boolean.TRUE, watch.get("active"));
    Map<String, Object> first = json(yes("replies.sync", "--owner", SAM, "--execute", "--output", "json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> owner = ((List<Map<String, Object>>) first.get("owners")).get(0);
    assertEquals("gmail", owner.get("source"));
    assertEquals(Boolean.TRUE, owner.get("ok"), first::toString);
    yes("sequence.launch", id, "--execute");

    // Stage 1 goes out of Sam's own Gmail, as him, with our Message-ID.
    yes("sequence.run");
    assertEquals(1, gmail.sentRaw.size(), gmail.calls::toString);
    String sent = gmail.sentRaw.get(0);
    assertEquals("Sam Rivera <" + SAM + ">", Relay.header(sent, "From"));
    assertEquals(ANA, Relay.header(sent, "To"));
    assertTrue(Relay.header(sent, "Message-ID").matches("<dlv_[0-9a-f]+@lakesideprint\\.com>"), sent);
    assertNotNull(Relay.header(sent, "X-Comms-Delivery-Id"));
    assertTrue(gmail.calls.contains("POST /gmail/v1/users/" + SAM + "/messages/send"), gmail.calls::toString);

    // Ana answers; the next sync finds it through users.history and ends her enrollment as replied.
    gmail.replied = true;
    Map<String, Object> second = json(yes("replies.sync", "--owner", SAM, "--execute", "--output", "json"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> messages = (List<Map<String, Object>>) ((List<Map<String, Object>>) second.get("owners")).get(0).get("messages");
    assertEquals(1, messages.size(), second::toString);
    assertEquals("replied", messages.get(0).get("action"));
    assertEquals("in_reply_to", messages.get(0).get("match_reason"));
    assertTrue(gmail.calls.stream().anyMatch(c -> c.startsWith("GET /gmail/v1/users/" + SAM + "/messages/19ad9a3dd2c6a9b4")), gmail.calls::toString);

    // Stage 2 never goes: three days on, nothing more is sent.
    yes("sequence.run", "--until", "+4d");
    assertEquals(1, gmail.sentRaw.size(), "stage 2 was not sent: " + gmail.calls);
    @SuppressWarnings("unchecked")
    Map<String, Object> ana = ((List<Map<String, Object>>) json(cli().run("sequence.recipients", id, "--output", "json")).get("recipients")).get(0);
    assertEquals("replied", ana.get("state"));

    // Prism accepted every request as Gmail's description has it; each carried the token minted for Sam.
    assertFalse(gmail.prismStatuses.stream().anyMatch(s -> s == 401 || s == 415 || s == 422), gmail.prismStatuses::toString);
    assertTrue(gmail.authorizations.stream().allMatch(a -> a.equals("Bearer " + GoogleTokenEndpoint.tokenFor(SAM))), gmail.authorizations::toString);
    assertTrue(google.grants().stream().allMatch(g -> g.subject().equals(SAM)));
  }
}
