package comms.core.policy;

import comms.core.contract.Bindings;
import comms.core.contract.SequencesContract;
import comms.core.contract.YamlValue;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample sequences contract, and variants of it, for the rule tests. */
final class Fixtures {
  static final Path SAMPLE = Path.of("..", "bindings");

  private Fixtures() {}

  static SequencesContract contract() {
    return new Bindings(SAMPLE).sequences();
  }

  /** The sample contract with {@code from} replaced by {@code to} (which must be there). */
  static SequencesContract edited(String from, String to) throws Exception {
    String text = Files.readString(SAMPLE.resolve(SequencesContract.FILE));
    if (!text.contains(from)) {
      throw new AssertionError(SequencesContract.FILE + " does not contain " + from);
    }
    return SequencesContract.from(YamlValue.parse(text.replace(from, to), SequencesContract.FILE));
  }
}
