package comms.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** --since and --until read one way: an instant with Z or an offset, or a date meaning its UTC start. */
class InstantOptionTest {
  @Test
  void instantsOffsetsAndDatesAreReadAndAnythingElseNamesTheOption() {
    assertEquals(Instant.parse("2026-11-22T15:00:00Z"), InstantOption.parse("--since", " 2026-11-22T15:00:00Z "));
    assertEquals(Instant.parse("2026-11-22T15:00:00Z"), InstantOption.parse("--until", "2026-11-22T09:00:00-06:00"));
    assertEquals(Instant.parse("2026-11-22T00:00:00Z"), InstantOption.parse("--since", "2026-11-22"));
    assertNull(InstantOption.parse("--since", null));
    CommsException e = assertThrows(CommsException.class, () -> InstantOption.parse("--until", "yesterday"));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith("--until 'yesterday' is not an ISO-8601 instant"), e.getMessage());
  }
}
