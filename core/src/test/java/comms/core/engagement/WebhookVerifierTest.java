package comms.core.engagement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Svix signatures as Svix documents them: its published example, rotation, tolerance, forgeries. */
class WebhookVerifierTest {
  // The example in Svix's documentation and its libraries' tests.
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final String TS = "1614265330";
  static final String BODY = "{\"test\": 2432232314}";
  static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  static final Instant SIGNED = Instant.ofEpochSecond(1614265330);

  final WebhookVerifier verifier = WebhookVerifier.of(SECRET);

  static Map<String, String> headers(String id, String ts, String sig) {
    return Map.of("svix-id", id, "svix-timestamp", ts, "svix-signature", sig);
  }

  @Test
  void svixsPublishedExampleVerifiesAndSignsTheSame() {
    assertEquals(SIGNATURE, verifier.signature(ID, TS, BODY));
    WebhookVerifier.Verdict v = verifier.verify(headers(ID, TS, SIGNATURE), BODY, SIGNED.plusSeconds(10));
    WebhookVerifier.Verdict.Verified ok = assertInstanceOf(WebhookVerifier.Verdict.Verified.class, v);
    assertEquals(ID, ok.svixId());
    assertEquals(SIGNED, ok.signedAt());
  }

  @Test
  void oneMatchingSignatureAmongSeveralIsEnoughWhileASecretRotates() {
    String header = "v1,Zm9yZ2Vk v2,whatever " + SIGNATURE;
    assertInstanceOf(WebhookVerifier.Verdict.Verified.class, verifier.verify(headers(ID, TS, header), BODY, SIGNED));
  }

  @Test
  void anAlteredBodyOrAnotherSecretIsRefused() {
    assertEquals("bad_signature", reason(verifier.verify(headers(ID, TS, SIGNATURE), "{\"test\": 2432232315}", SIGNED)));
    WebhookVerifier other = WebhookVerifier.of("whsec_b3RoZXIgc2VjcmV0IGJ5dGVz");
    assertEquals("bad_signature", reason(other.verify(headers(ID, TS, SIGNATURE), BODY, SIGNED)));
    // The id and timestamp are signed too.
    assertEquals("bad_signature", reason(verifier.verify(headers("msg_other", TS, SIGNATURE), BODY, SIGNED)));
  }

  @Test
  void aTimestampMoreThanFiveMinutesFromTheClockIsRefusedEitherWay() {
    assertInstanceOf(WebhookVerifier.Verdict.Verified.class, verifier.verify(headers(ID, TS, SIGNATURE), BODY, SIGNED.plusSeconds(300)));
    assertEquals("stale", reason(verifier.verify(headers(ID, TS, SIGNATURE), BODY, SIGNED.plusSeconds(301))));
    assertEquals("future", reason(verifier.verify(headers(ID, TS, SIGNATURE), BODY, SIGNED.minusSeconds(301))));
    assertEquals("bad_timestamp", reason(verifier.verify(headers(ID, "soon", SIGNATURE), BODY, SIGNED)));
  }

  @Test
  void missingHeadersOrNoV1SignatureAreRefused() {
    assertEquals("missing_headers", reason(verifier.verify(Map.of("svix-id", ID, "svix-timestamp", TS), BODY, SIGNED)));
    assertEquals("no_signature", reason(verifier.verify(headers(ID, TS, "v2,abc"), BODY, SIGNED)));
    assertEquals("bad_signature", reason(verifier.verify(headers(ID, TS, "v1,not-base64!"), BODY, SIGNED)));
  }

  @Test
  void headerNamesAreCaseInsensitiveAndTheUnbrandedNamesWork() {
    Map<String, String> h = Map.of("Svix-Id", ID, "SVIX-TIMESTAMP", TS, "webhook-signature", SIGNATURE);
    assertInstanceOf(WebhookVerifier.Verdict.Verified.class, verifier.verify(h, BODY, SIGNED));
  }

  @Test
  void aSecretThatIsNotBase64IsRefusedWithoutQuotingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookVerifier.of("whsec_not*base64"));
    assertFalse(e.getMessage().contains("not*base64"), e.getMessage());
    assertTrue(e.getMessage().contains("whsec_"), e.getMessage());
  }

  @Test
  void withoutASecretEveryWebhookIsRefused() {
    WebhookVerifier.Verdict v = WebhookVerifier.unset("COMMS_RESEND_WEBHOOK_SECRET").verify(headers(ID, TS, SIGNATURE), BODY, SIGNED);
    assertEquals("no_secret", reason(v));
    assertTrue(((WebhookVerifier.Verdict.Refused) v).sentence().contains("COMMS_RESEND_WEBHOOK_SECRET is not set"));
  }

  static String reason(WebhookVerifier.Verdict v) {
    return assertInstanceOf(WebhookVerifier.Verdict.Refused.class, v).reason();
  }
}
