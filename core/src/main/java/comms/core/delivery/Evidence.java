package comms.core.delivery;

import comms.core.outbox.AtomicFile;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.FaultPoint;
import comms.core.outbox.OutboxPaths;
import comms.core.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where executed actions leave their evidence and state: the delivery journal, the last-artifact
 * files and the SQLite store of one outbox. Remembers which files it wrote, for the run's receipt.
 */
public final class Evidence {
  private final OutboxPaths paths;
  private final DeliveryJournal journal;
  private final Store store;
  private final FaultPoint faults;
  private final List<Path> written = new ArrayList<>();

  public Evidence(OutboxPaths paths, DeliveryJournal journal, Store store, FaultPoint faults) {
    this.paths = paths;
    this.journal = journal.withFaults(faults);
    this.store = store;
    this.faults = faults;
  }

  public OutboxPaths paths() {
    return paths;
  }

  public DeliveryJournal journal() {
    return journal;
  }

  public Store store() {
    return store;
  }

  public FaultPoint faults() {
    return faults;
  }

  /** Appends one delivery line (forced to disk before this returns). */
  public comms.core.outbox.DeliveryRecord log(comms.core.outbox.DeliveryRecord r) {
    comms.core.outbox.DeliveryRecord out = journal.append(r);
    note(journal.file());
    return out;
  }

  /** Appends several delivery lines in one write, forced to disk once before this returns. */
  public List<comms.core.outbox.DeliveryRecord> logAll(List<comms.core.outbox.DeliveryRecord> rs) {
    List<comms.core.outbox.DeliveryRecord> out = journal.appendAll(rs);
    note(journal.file());
    return out;
  }

  /** Replaces a last-artifact YAML document atomically. */
  public void lastArtifact(Path file, Map<String, Object> doc) {
    AtomicFile.write(file, comms.core.json.Yaml.dump(doc).getBytes(java.nio.charset.StandardCharsets.UTF_8), faults);
    note(file);
  }

  public synchronized void note(Path p) {
    if (!written.contains(p)) {
      written.add(p);
    }
  }

  public synchronized List<Path> written() {
    return List.copyOf(written);
  }
}
