package comms.core.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void messageContentAndSecretsAreRedacted() {
    Map<String, String> env = Map.of("COMMS_TWILIO_AUTH_TOKEN", "sentinel-token-42", "HOME", "/root");
    List<String> out =
        Redaction.arguments(
            List.of("--to", "+15551234567", "--vars-json", "{\"a\":\"b\"}", "--body=hello", "--note", "x sentinel-token-42 y", "--subject", "hi"),
            env);
    assertEquals(
        List.of("--to", "+15551234567", "--vars-json", "[redacted]", "--body=[redacted]", "--note", "x [redacted secret] y", "--subject", "[redacted]"),
        out);
  }

  @Test
  void shortOrNonSecretValuesAreLeftAlone() {
    assertEquals("root /root", Redaction.scrub("root /root", Map.of("HOME", "/root", "API_KEY", "abc")));
  }

  @Test
  void approvalTokensNeverReachAReceipt() {
    List<String> out = Redaction.arguments(List.of("sequence.launch", "Welcome", "--approval", "token:apt_AbC-12_xyz", "--approval=token:apt_Q9"), Map.of());
    assertEquals(List.of("sequence.launch", "Welcome", "--approval", "token:[redacted token]", "--approval=token:[redacted token]"), out);
  }
}
