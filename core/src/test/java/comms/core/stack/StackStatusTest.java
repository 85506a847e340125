package comms.core.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.Bindings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's parity checks on fixtures: the sample contracts pass every one; an unrouted template fails its check, named with where. */
class StackStatusTest {
  static final Path SAMPLES = Path.of("..", "bindings").toAbsolutePath().normalize();

  @TempDir Path tmp;

  @Test
  void theSampleContractsPassEveryCheck() {
    StackStatus.Report r = StackStatus.check(Bindings.open(SAMPLES));
    assertTrue(r.passed(), r::toString);
    assertTrue(r.checks().stream().anyMatch(c -> c.name().equals("templates")), r::toString);
    r.checks().forEach(c -> assertTrue(c.passed(), c::toString));
  }

  @Test
  void aTemplateWithoutARouteFailsTheTemplatesCheckAndSaysWhere() throws IOException {
    Path copy = tmp.resolve("bindings");
    try (Stream<Path> all = Files.walk(SAMPLES)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path to = copy.resolve(SAMPLES.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Path delivery = copy.resolve("communications.delivery.contract.yaml");
    String text = Files.readString(delivery);
    String route = "      - { channel: email, provider: resend, template: order_ready.email }\n";
    assertTrue(text.contains(route), "the sample still routes order_ready.email");
    Files.writeString(delivery, text.replace(route, ""));

    StackStatus.Report r = StackStatus.check(Bindings.open(copy));
    assertFalse(r.passed());
    ParityCheck templates = r.checks().stream().filter(c -> c.name().equals("templates")).findFirst().orElseThrow();
    assertFalse(templates.passed(), templates::toString);
    assertTrue(templates.reason().contains("order_ready.email"), templates::toString);
    assertEquals("fail", templates.result());
  }
}
