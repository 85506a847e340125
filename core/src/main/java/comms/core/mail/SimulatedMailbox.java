package comms.core.mail;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.StackContract;
import comms.core.json.Json;
import comms.core.outbox.OutboxPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated pilot mailboxes: messages that simulated send-tests delivered, kept as JSON lines in
 * the outbox so {@code mail.search} finds them the way it would find real mail through Graph.
 */
public final class SimulatedMailbox {
  private final Path file;

  public SimulatedMailbox(Path file) {
    this.file = file;
  }

  /** The simulated mailbox of an outbox. */
  public static SimulatedMailbox in(OutboxPaths outbox) {
    return new SimulatedMailbox(outbox.simulatedMailbox());
  }

  /** Delivers one message (appended whole, under a file lock, forced to disk). */
  public void deliver(StackContract.CatalogMessage m) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("mailbox", m.mailbox());
    line.put("id", m.id());
    line.put("from", m.from());
    line.put("subject", m.subject());
    line.put("received_at", m.receivedAt());
    line.put("body", m.body());
    comms.core.outbox.LockedAppend.line(file, line, "simulated mailbox");
  }

  /** Every message delivered so far; a torn last line (a crash mid-write) is skipped. */
  public List<StackContract.CatalogMessage> messages() {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<StackContract.CatalogMessage> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          Map<String, Object> m = Json.parseObject(line);
          out.add(
              new StackContract.CatalogMessage(
                  (String) m.get("mailbox"), (String) m.get("id"), (String) m.get("from"), (String) m.get("subject"),
                  (String) m.get("received_at"), (String) m.get("body")));
        } catch (RuntimeException torn) {
          // skip: a torn or foreign line is not mail
        }
      }
    } catch (IOException e) {
      throw new CommsException(ExitCode.CONTRACT, "cannot read the simulated mailbox " + file + " (" + e.getMessage() + ")");
    }
    return out;
  }
}
