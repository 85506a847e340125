package comms.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sequences contract's engagement section: the secret's variable name and the human-open delay. */
class EngagementContractTest {
  static final Path SAMPLE = Path.of("..", "bindings", SequencesContract.FILE).toAbsolutePath().normalize();

  static SequencesContract read(String text) {
    return SequencesContract.from(YamlValue.parse(text, SequencesContract.FILE));
  }

  static String sample() throws Exception {
    return Files.readString(SAMPLE);
  }

  @Test
  void theSampleNamesTheSecretsVariableAndTheDelay() throws Exception {
    SequencesContract c = read(sample());
    assertEquals("COMMS_RESEND_WEBHOOK_SECRET", c.engagement().webhookSecretEnv());
    assertEquals(Duration.ofSeconds(60), c.engagement().humanOpenAfter());
  }

  @Test
  void withoutTheSectionTheDefaultsHold() throws Exception {
    String text = sample();
    SequencesContract c = read(text.substring(0, text.indexOf("\nengagement:") + 1));
    assertEquals(SequencesContract.EngagementRules.DEFAULTS.webhookSecretEnv(), c.engagement().webhookSecretEnv());
  }

  @Test
  void aSecretValueInsteadOfAVariableNameIsRefusedAtItsLine() throws Exception {
    String text = sample().replace("webhook_secret_env: COMMS_RESEND_WEBHOOK_SECRET", "webhook_secret_env: whsec_abc123");
    ContractException e = assertThrows(ContractException.class, () -> read(text));
    assertTrue(e.getMessage().contains("not an environment variable name"), e.getMessage());
    assertTrue(e.getMessage().contains(SequencesContract.FILE + ":"), e.getMessage());
    assertTrue(!e.getMessage().contains("whsec_abc123"), "the refusal never quotes what may be the secret: " + e.getMessage());
    String negative = sample().replace("human_open_after_seconds: 60", "human_open_after_seconds: -1");
    assertThrows(ContractException.class, () -> read(negative));
  }
}
