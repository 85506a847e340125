package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.Bindings;
import comms.core.contract.PolicyContract;
import comms.core.json.Json;
import comms.core.provider.LiveFixtures;
import comms.core.provider.PrismMocks;
import comms.core.store.SequenceStore.SequenceRow;
import comms.core.store.StageSendStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sequence's stage email, sent by the worker through the governed path and Resend's live adapter,
 * really carries List-Unsubscribe, List-Unsubscribe-Post (RFC 8058) and the postal address footer on
 * the wire; without a postal address in the policy contract it is blocked before any request.
 */
class BulkStageEmailTest {
  static final String DANA = SequenceFixture.DANA;

  @TempDir Path outbox;
  @TempDir Path variant;
  SequenceFixture f;
  MockWebServer server;
  final LiveFixtures.Recorder rec = new LiveFixtures.Recorder();

  @BeforeEach
  void open() throws Exception {
    f = new SequenceFixture(outbox);
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void close() {
    f.close();
    server.close();
  }

  /** Every email of the fixture goes to Resend's live adapter at {@code base}. */
  void resendAt(String base) {
    f.providers = (provider, live) -> rec.live().provider(LiveFixtures.resend(base));
  }

  /** A launched one-stage email sequence of Dana's to one recipient. */
  SequenceRow launched() {
    SequencePlan plan =
        new SequencePlan(
            java.time.ZoneId.of("America/New_York"), java.time.LocalTime.of(8, 0), java.time.LocalTime.of(20, 0), "US", null, List.of(),
            List.of(new SequencePlan.StagePlan("email", Duration.ZERO, "always", "payment_needed.email", "payment_needed")));
    SequenceRow seq = f.service().create(f.as(DANA), new SequenceService.Draft("Bulk", null, plan), f.audit(DANA));
    Map<String, String> vars = Map.of("customer_name", "Maria", "order_number", "30020", "balance_amount", "42.00", "payment_link", "https://example.com/pay");
    f.enrollment().add(f.as(DANA), seq, List.of(new Enrollment.RecipientInput(2, "maria.gomez@example.org", null, null, vars)), null, true, false, f.audit(DANA));
    f.service().launch(f.as(DANA), seq.id(), 1, null, SequenceService.Gate.NONE, f.audit(DANA));
    return seq;
  }

  @Test
  void theStageEmailCarriesTheUnsubscribeHeadersAndThePostalAddressOnTheWire() throws Exception {
    resendAt("http://127.0.0.1:" + server.getPort());
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("{\"id\":\"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794\"}").build());
    SequenceRow seq = launched();

    SequenceWorker.Summary s = f.worker("w1", SendingHours.ALWAYS).pass(10);

    assertEquals(1, s.sent(), s.toString());
    RecordedRequest req = server.takeRequest();
    Map<String, Object> body = Json.parseObject(req.getBody().utf8());
    @SuppressWarnings("unchecked")
    Map<String, Object> headers = (Map<String, Object>) body.get("headers");
    String delivery = (String) headers.get("X-Comms-Delivery-Id");
    assertEquals("<https://lakesideprint.com/unsubscribe/" + delivery + ">, <mailto:unsubscribe@lakesideprint.com?subject=unsubscribe%20" + delivery + ">",
        headers.get("List-Unsubscribe"));
    assertEquals("List-Unsubscribe=One-Click", headers.get("List-Unsubscribe-Post"));
    assertTrue(((String) body.get("text")).contains("Lakeside Print, 1200 W Lake St, Chicago, IL 60607"), (String) body.get("text"));
    assertTrue(((String) body.get("html")).contains("Lakeside Print, 1200 W Lake St, Chicago, IL 60607"), (String) body.get("html"));
    assertTrue(!String.valueOf(headers.get("List-Unsubscribe")).contains("maria"), "no recipient in the unsubscribe URL");
    assertEquals("sent", StageSendStore.of(f.store).inSequence(seq.id()).get(0).state());
  }

  @Test
  @Tag("mocks")
  @ExtendWith(PrismMocks.Plain.class)
  void resendsApiDescriptionAcceptsTheStageEmailWithItsHeaders() {
    resendAt(PrismMocks.RESEND);
    launched();
    SequenceWorker.Summary s = f.worker("w1", SendingHours.ALWAYS).pass(10);
    assertEquals(1, s.sent(), s.toString());
    rec.assertNoValidationAnswer();
    assertEquals(List.of(200), rec.statuses());
  }

  @Test
  void withoutAPostalAddressTheStageIsBlockedAndNothingIsRequested() throws Exception {
    Path dir = variant.resolve("bindings");
    copy(SequenceFixture.BINDINGS.dir(), dir);
    Path policy = dir.resolve(PolicyContract.FILE);
    String text = Files.readString(policy);
    Files.writeString(policy, text.replace("  postal_address: \"Lakeside Print, 1200 W Lake St, Chicago, IL 60607\"\n", ""));
    f.bindings = Bindings.open(dir);
    resendAt("http://127.0.0.1:" + server.getPort());
    SequenceRow seq = launched();

    SequenceWorker.Summary s = f.worker("w1", SendingHours.ALWAYS).pass(10);

    assertEquals(0, s.sent());
    assertEquals(1, s.problems().size(), s.toString());
    SequenceWorker.Problem p = s.problems().get(0);
    assertEquals("blocked", p.status());
    assertEquals("blocked:bulk_email", p.error());
    String sentence = f.log().get(0).error();
    assertTrue(sentence.contains("bulk_email: bulk email must carry the business's postal address (CAN-SPAM)"), sentence);
    assertTrue(sentence.matches("(?s).*" + PolicyContract.FILE.replace(".", "\\.") + ":\\d+:\\d+.*"), "names the contract and line: " + sentence);
    assertEquals(0, server.getRequestCount(), "no request reached Resend");
    assertEquals("blocked", StageSendStore.of(f.store).inSequence(seq.id()).get(0).state());
    assertEquals("blocked", f.log().get(0).status());
  }

  static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
