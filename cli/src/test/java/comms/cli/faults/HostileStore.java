package comms.cli.faults;

import comms.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 23, hostile input: one outbox holding everything phase 2 keeps (a send, a sequence with
 * recipients, a snippet, applied Resend webhooks: the SQLite store, the delivery log, receipts), and
 * the snapshot a refused input must leave byte-identical.
 */
final class HostileStore {
  static final String NOW = Lane.DAYTIME; // 2026-11-18T17:00:00Z, when the sample webhooks were signed
  static final String OWNER = "dana@lakesideprint.com";
  static final Path EXAMPLES = CliRun.SAMPLE_BINDINGS.resolveSibling("examples");

  final Path dir;
  final Path outbox;
  final Map<String, String> env = new HashMap<>();
  private int files;

  HostileStore(Path dir) {
    this.dir = dir;
    this.outbox = dir.resolve("outbox");
    env.put("COMMS_BINDINGS", CliRun.SAMPLE_BINDINGS.toString());
    env.put("COMMS_OUTBOX", outbox.toString());
    env.put("COMMS_NOW", NOW);
    env.put("COMMS_RESEND_WEBHOOK_SECRET", CliRun.SAMPLE_WEBHOOK_SECRET);
    env.put("NO_COLOR", "1");
  }

  CliRun cli() {
    CliRun c = new CliRun(outbox).bindings(CliRun.SAMPLE_BINDINGS);
    env.forEach(c::env);
    return c;
  }

  /** A send, the sample Welcome sequence with its recipients, a snippet, the sample webhooks applied. */
  void seed() {
    ok(cli().stdin("yes\n").run(HostileCorpus.expand(List.of("$SEND", "$VARS"), null).toArray(String[]::new)));
    ok(cli().stdin("yes\n").run("sequence.create", "--file", EXAMPLES.resolve("sequences/welcome.sequence.yaml").toString(), "--execute"));
    ok(cli().stdin("yes\n").run("sequence.add-recipients", "Welcome", "--file", EXAMPLES.resolve("sequences/welcome.recipients.csv").toString(), "--execute"));
    ok(cli().stdin("yes\n").run("snippet.create", "--name", "Renewal", "--channel", "email", "--subject", "Your renewal, {{first_name}}",
        "--file", EXAMPLES.resolve("snippets/renewal.txt").toString(), "--variables", "first_name,plan_name", "--shared", "--execute"));
    ok(cli().stdin("yes\n").run("engagement.ingest", "--file", EXAMPLES.resolve("engagement/events.jsonl").toString(), "--execute"));
  }

  private static void ok(CliRun.Result r) {
    if (r.exit() != 0) {
      throw new AssertionError("seeding the hostile-input outbox failed:\n" + r);
    }
  }

  /** A new scratch file (outside the outbox) holding {@code bytes}. */
  Path file(String name, byte[] bytes) {
    try {
      Path d = Files.createDirectories(dir.resolve("inputs").resolve(Integer.toString(files++)));
      return Files.write(d.resolve(name), bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  Path file(String name, String text) {
    return file(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The whole outbox tree (SQLite file and its journals, delivery log, receipts, every artifact), hashed. */
  String snapshot() throws IOException {
    return HostileCorpus.treeHash(outbox);
  }

  /** The receipts folder's file names (an MCP session that called a tool leaves one receipt by design). */
  List<String> receipts() throws IOException {
    Path r = outbox.resolve("receipts");
    if (!Files.isDirectory(r)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(r)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * Null when {@code after} is {@code before} plus at most one receipt that records the refusal
   * ({@code expected} such as "exit 4" or "tool exit 3": its exit code appears in the receipt), else why not.
   */
  String receiptProblem(List<String> before, List<String> after, String expected) throws IOException {
    if (!after.containsAll(before)) {
      return "a receipt disappeared";
    }
    List<String> added = after.stream().filter(f -> !before.contains(f)).toList();
    if (added.size() > 1) {
      return added.size() + " new receipts";
    }
    if (added.isEmpty()) {
      return null;
    }
    String r = Files.readString(outbox.resolve("receipts").resolve(added.get(0)));
    String code = expected.replaceAll("^.* ", "");
    if (expected.startsWith("exit ") && !r.contains("exit_code: " + code)) {
      return "the new receipt does not record exit_code " + code + ":\n" + r;
    }
    return null;
  }

  /** The tree hash with the receipts folder left out. */
  String snapshotWithoutReceipts() throws IOException {
    Path r = outbox.resolve("receipts");
    java.security.MessageDigest md = comms.core.outbox.Sha256.digest();
    List<Path> all;
    try (Stream<Path> s = Files.walk(outbox)) {
      all = s.filter(p -> !p.startsWith(r)).sorted().toList();
    }
    for (Path p : all) {
      md.update(outbox.relativize(p).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (Files.isRegularFile(p)) {
        md.update(Files.readAllBytes(p));
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }
}
