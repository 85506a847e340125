package comms.cli.faults;

import comms.core.json.Json;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.OutboxPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What an outbox holds after a run (or a kill), read straight from the files the way a next run
 * would find them: the delivery log's whole lines and torn tail, whether its hash chain verifies,
 * and whether communications-transaction-last.yaml is a whole document that matches a logged line.
 */
record OutboxInspection(
    List<DeliveryRecord> lines,
    int tornBytes,
    boolean chainOk,
    String chainProblem,
    String lastArtifactProblem,
    int leftoverTempFiles) {

  /** The statuses that mean the message went out (or, in simulation, would have). */
  static final Set<String> SUCCESS = Set.of("sent", "queued", "simulated");

  /** The keys every transaction-last document carries besides the line's own fields. */
  private static final List<String> DOCUMENT_KEYS = List.of("approval", "verdict", "template", "gates");

  static OutboxInspection of(Path outbox) {
    OutboxPaths paths = new OutboxPaths(outbox);
    // The document first: its line is on disk before it is written, so a log read after it holds
    // that line even while other runs keep appending.
    byte[] lastDoc = read(paths.transactionLast());
    byte[] raw = read(paths.deliveryLog());
    int lastNewline = raw.length - 1;
    while (lastNewline >= 0 && raw[lastNewline] != '\n') {
      lastNewline--;
    }
    int torn = raw.length - 1 - lastNewline;
    List<DeliveryRecord> lines = new ArrayList<>();
    String problem = null;
    String whole = new String(raw, 0, lastNewline + 1, StandardCharsets.UTF_8);
    int n = 0;
    for (String line : whole.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      n++;
      try {
        lines.add(DeliveryRecord.fromFields(Json.parseObject(line)));
      } catch (RuntimeException e) {
        problem = problem == null ? "line " + n + " is not a whole record: " + e.getMessage() : problem;
      }
    }
    DeliveryJournal.Verification v = DeliveryJournal.of(paths, w -> {}).verify();
    if (!v.ok()) {
      problem = problem == null ? v.reason() : problem;
    }
    return new OutboxInspection(
        lines, torn, problem == null, problem, lastArtifactProblem(paths.transactionLast(), lastDoc, lines), leftovers(paths.communications()));
  }

  /** Null when the document is absent or whole and equal to a logged line; else what is wrong. */
  private static String lastArtifactProblem(Path file, byte[] bytes, List<DeliveryRecord> lines) {
    if (bytes.length == 0 && !Files.exists(file)) {
      return null;
    }
    Object doc;
    try {
      doc = new Load(LoadSettings.builder().build()).loadFromString(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return file.getFileName() + " does not parse: " + e.getMessage();
    }
    if (!(doc instanceof Map<?, ?> m)) {
      return file.getFileName() + " is not a mapping";
    }
    for (String k : DOCUMENT_KEYS) {
      if (!m.containsKey(k)) {
        return file.getFileName() + " lacks '" + k + "': a partial document";
      }
    }
    Object hash = m.get("hash");
    for (DeliveryRecord r : lines) {
      if (r.hash().equals(hash)) {
        Map<String, Object> f = r.fields();
        for (String k : List.of("delivery_id", "status", "idempotency_key", "to", "run_key")) {
          if (f.get(k) != null && !String.valueOf(f.get(k)).equals(String.valueOf(m.get(k)))) {
            return file.getFileName() + " has " + k + "=" + m.get(k) + " but its logged line has " + f.get(k);
          }
        }
        return null;
      }
    }
    return file.getFileName() + " names hash " + hash + ", which no whole line of the delivery log has";
  }

  private static int leftovers(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path p) {
    try {
      return Files.exists(p) ? Files.readAllBytes(p) : new byte[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many lines say the message under {@code key} went out. */
  int successes(String key) {
    return (int) lines.stream().filter(r -> key.equals(r.idempotencyKey()) && SUCCESS.contains(r.status())).count();
  }

  /** Success lines per idempotency key. */
  Map<String, Integer> successesByKey() {
    Map<String, Integer> m = new HashMap<>();
    for (DeliveryRecord r : lines) {
      if (r.idempotencyKey() != null && SUCCESS.contains(r.status())) {
        m.merge(r.idempotencyKey(), 1, Integer::sum);
      }
    }
    return m;
  }

  /** Keys logged as sent more than once. */
  List<String> duplicatedKeys() {
    return successesByKey().entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
  }

  boolean torn() {
    return tornBytes > 0;
  }

  /** Every rule a next run relies on: whole lines (a torn tail aside), a valid chain, a whole last document. */
  String problems() {
    List<String> p = new ArrayList<>();
    if (!chainOk) {
      p.add("delivery log: " + chainProblem);
    }
    if (lastArtifactProblem != null) {
      p.add(lastArtifactProblem);
    }
    return p.isEmpty() ? null : String.join("; ", p);
  }
}
