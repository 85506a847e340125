package comms.core.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;

/** What the delivery-log tests share: a journal in a scratch outbox, records, raw lines. */
abstract class JournalFixture {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path tmp;

  final List<String> warnings = new CopyOnWriteArrayList<>();

  DeliveryJournal journal() {
    return DeliveryJournal.of(new OutboxPaths(tmp.resolve("outbox")), warnings::add);
  }

  static DeliveryRecord record(String id, String status, Instant at) {
    return DeliveryRecord.builder()
        .time(at)
        .deliveryId(id)
        .runKey("run-" + id)
        .mode("simulation")
        .channel("sms")
        .messageType("payment_needed")
        .provider("twilio")
        .to("+15551234567")
        .status(status)
        .providerMessageId(status.equals("simulated") ? "SIM" + id : null)
        .idempotencyKey("key-" + id)
        .bodyHash(Sha256.hex("body " + id))
        .error(status.equals("failed") ? "provider said \"no\"" : null)
        .attempts(1)
        .build();
  }

  List<String> lines(DeliveryJournal j) throws IOException {
    return Files.readAllLines(j.file(), StandardCharsets.UTF_8);
  }

  void writeLines(DeliveryJournal j, List<String> lines) throws IOException {
    Files.writeString(j.file(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  List<DeliveryRecord> appendFive(DeliveryJournal j) {
    List<DeliveryRecord> out = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      out.add(j.append(record("d" + i, "simulated", T0.plusSeconds(i))));
    }
    return out;
  }
}
