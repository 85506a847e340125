package comms.core.outbox;

import comms.core.CommsException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Where each piece of evidence lives inside one outbox folder (DESIGN.md's stable paths). */
public record OutboxPaths(Path root) {
  /** A run key names a receipt file, so it may never climb out of the receipts folder. */
  private static final Pattern RUN_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public OutboxPaths {
    if (root == null) {
      throw new IllegalArgumentException("outbox root is required");
    }
  }

  public Path communications() {
    return root.resolve("communications");
  }

  public Path sendTestLast() {
    return communications().resolve("communications-send-test-last.yaml");
  }

  public Path transactionLast() {
    return communications().resolve("communications-transaction-last.yaml");
  }

  public Path deliveryLog() {
    return communications().resolve("communications-delivery-log.jsonl");
  }

  /** The sidecar every journal writer locks; never deleted, because deleting lock files races. */
  public Path deliveryLogLock() {
    return communications().resolve(".communications-delivery-log.jsonl.lock");
  }

  /** Messages simulated send-tests delivered to the pilot mailboxes (mail.search reads them). */
  public Path simulatedMailbox() {
    return communications().resolve("simulated-mailbox.jsonl");
  }

  /** Inbound mail for the owners' inboxes in simulation (mail.simulate-inbound writes it, replies.sync reads it). */
  public Path simulatedInbox() {
    return communications().resolve("simulated-inbox.jsonl");
  }

  public Path receipts() {
    return root.resolve("receipts");
  }

  /** receipts/RUN-KEY.yaml, refusing a run key that could name a file outside receipts/. */
  public Path receipt(String runKey) {
    return receipts().resolve(checkRunKey(runKey) + ".yaml");
  }

  public Path state() {
    return root.resolve("state");
  }

  /** The SQLite state file: consent, suppressions, idempotency keys. */
  public Path store() {
    return state().resolve("comms.db");
  }

  public static boolean isRunKey(String runKey) {
    return runKey != null && RUN_KEY.matcher(runKey).matches() && !runKey.contains("..");
  }

  public static String checkRunKey(String runKey) {
    if (!isRunKey(runKey)) {
      throw CommsException.usage(
          "run key '" + runKey + "' is not allowed: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    return runKey;
  }
}
