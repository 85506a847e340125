package comms.core.reply;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.Timestamps;
import comms.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The owners' inboxes in simulation: one JSON line per inbound message in the outbox (owner, id,
 * when it arrived, the RFC 5322 message in base64), appended whole under a file lock. The cursor is
 * the number of lines already read, so a sync reads each message once and nothing leaves the machine.
 */
public final class SimulatedInbox implements Inbox {
  private final Path file;

  public SimulatedInbox(Path file) {
    this.file = file;
  }

  @Override
  public String source() {
    return "simulation";
  }

  /** Puts {@code raw} in {@code owner}'s inbox as received at {@code at}; returns its id. */
  public String deliver(String owner, byte[] raw, Instant at) {
    Map<String, Object> line = new LinkedHashMap<>();
    String id = "sim-in-" + comms.core.outbox.Sha256.hex(owner + "\n" + Timestamps.format(at) + "\n" + Base64.getEncoder().encodeToString(raw)).substring(0, 16);
    line.put("owner", Recipients.normalize(owner));
    line.put("id", id);
    line.put("received_at", Timestamps.format(at));
    line.put("raw", Base64.getEncoder().encodeToString(raw));
    comms.core.outbox.LockedAppend.line(file, line, "simulated inbox");
    return id;
  }

  @Override
  public Batch read(String owner, String cursor, Instant resyncFrom) {
    String who = Recipients.normalize(owner);
    int from = cursor == null ? 0 : Integer.parseInt(cursor);
    List<InboundMessage> out = new ArrayList<>();
    List<String> lines = lines();
    int n = 0;
    for (String line : lines) {
      n++;
      if (n <= from) {
        continue;
      }
      Map<String, Object> m;
      try {
        m = Json.parseObject(line);
      } catch (RuntimeException torn) {
        // a torn last line (a crash mid-write) is not mail; it is read again next time
        n--;
        break;
      }
      if (!who.equals(m.get("owner"))) {
        continue;
      }
      Instant at = Timestamps.parse((String) m.get("received_at"));
      if (resyncFrom != null && cursor == null && at.isBefore(resyncFrom)) {
        continue;
      }
      out.add(MimeMessages.parse((String) m.get("id"), who, Base64.getDecoder().decode((String) m.get("raw")), at));
    }
    return new Batch(out, String.valueOf(Math.max(n, from)), false);
  }

  private List<String> lines() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CommsException(ExitCode.PROVIDER, "cannot read the simulated inbox " + file + " (" + e.getMessage() + ")");
    }
  }
}
