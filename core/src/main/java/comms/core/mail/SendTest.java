package comms.core.mail;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.StackContract;
import comms.core.delivery.Approver;
import comms.core.delivery.Evidence;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.Sha256;
import comms.core.provider.ProviderException;
import comms.core.send.ControlCharacters;
import comms.core.send.RecipientCheck;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A pilot send-test: one message from a pilot mailbox, its subject tagged with a unique token so a
 * search for the token confirms delivery (the runbook's confirmation pattern). In simulation the
 * message lands in the simulated mailbox; live, a {@link LiveMailer} sends it through Graph.
 */
public final class SendTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Sends through the live backend; returns the provider's message id or null. */
  @FunctionalInterface
  public interface LiveMailer {
    String send(String fromMailbox, String to, String subject, String body, String deliveryId);
  }

  /** What to send; {@code from} null means the first active pilot mailbox. */
  public record Request(String from, String to, String subject, String body, boolean execute, String runKey, String operator) {}

  /** What happened: status is dry-run, simulated, sent, declined or failed. */
  public record Outcome(
      String mode, String from, String to, String subject, String token, String status, String deliveryId, String approval, ExitCode exit) {}

  private final StackContract stack;
  private final String provider;
  private final Evidence evidence;
  private final SimulatedMailbox mailbox;
  private final LiveMailer live;
  private final Clock clock;

  public SendTest(StackContract stack, String provider, Evidence evidence, SimulatedMailbox mailbox, LiveMailer live, Clock clock) {
    this.stack = stack;
    this.provider = provider;
    this.evidence = evidence;
    this.mailbox = mailbox;
    this.live = live;
    this.clock = clock;
  }

  public Outcome run(Request r, Approver approver) {
    return run(r, approver, Optional::empty);
  }

  /**
   * As {@link #run(Request, Approver)}, with {@code admission} asked after approval, just before the
   * send (per-operator caps): a reason means the message is not sent, the log line is failed with that
   * reason as its error, and the exit is 4.
   */
  public Outcome run(Request r, Approver approver, Supplier<Optional<String>> admission) {
    return run(r, approver, admission, () -> {});
  }

  /** As {@link #run(Request, Approver, Supplier)}; {@code answered} runs once a live send's request is answered (or failed). */
  public Outcome run(Request r, Approver approver, Supplier<Optional<String>> admission, Runnable answered) {
    checkArguments(r.subject(), r.from());
    StackContract.Mailbox from = sender(r.from());
    RecipientCheck to = RecipientCheck.email(r.to());
    if (!to.usable()) {
      throw new CommsException(ExitCode.USAGE, "--to " + ControlCharacters.visible(r.to()) + ": " + to.reason());
    }
    String prefix = stack.pilot().sendTest().subjectPrefix();
    Optional<ControlCharacters.Found> badPrefix = ControlCharacters.firstInHeader(prefix);
    if (badPrefix.isPresent()) {
      throw new CommsException(
          ExitCode.CONTRACT,
          "pilot.send_test.subject_prefix in " + StackContract.FILE + " holds " + badPrefix.get().describe() + " at character "
              + badPrefix.get().position() + "; a subject is one line, so make the prefix one line without control characters");
    }
    String token = "CT-" + HexFormat.of().withUpperCase().formatHex(bytes(4));
    String subject = prefix + " " + r.subject().strip() + " [" + token + "]";
    String mode = stack.pilot().sendTest().mode();
    if (!r.execute()) {
      return new Outcome(mode, from.address(), to.normalized(), subject, token, "dry-run", null, "not-asked", ExitCode.OK);
    }
    String deliveryId = "dlv_" + HexFormat.of().formatHex(bytes(8));
    String summary =
        "About to send a pilot test message:\n"
            + "  mode:      " + mode + (stack.pilot().live() ? " (a real message through Microsoft Graph)" : " (simulated, nothing leaves this machine)") + "\n"
            + "  from:      " + from.address() + "\n"
            + "  to:        " + to.normalized() + "\n"
            + "  subject:   " + subject + "\n"
            + "  verdict:   allowed\n"
            + "  checks:\n"
            + "    " + to.result().name() + " recipient      " + ControlCharacters.visible(to.reason()) + "\n"
            + "    pass header_safety  the subject and the sender are one line each, with no control characters\n"
            + "    (the sender's send caps are checked after yes, just before sending)\n"
            + "  --- body ---\n  " + ControlCharacters.visibleLines(r.body()).replace("\n", "\n  ") + "\n  ------------";
    // Before asking: nobody should approve a send that could not be recorded.
    evidence.journal().ensureWritable();
    if (!approver.approve(summary)) {
      record(r, from, to.normalized(), subject, token, deliveryId, "declined", null, "approval declined", "declined");
      return new Outcome(mode, from.address(), to.normalized(), subject, token, "declined", deliveryId, "declined", ExitCode.DECLINED);
    }
    evidence.journal().ensureWritable();
    Optional<String> refused = admission.get();
    if (refused.isPresent()) {
      record(r, from, to.normalized(), subject, token, deliveryId, "failed", null, refused.get(), "approved", 0);
      return new Outcome(mode, from.address(), to.normalized(), subject, token, "failed", deliveryId, "approved", ExitCode.POLICY);
    }
    String messageId;
    String status;
    if (stack.pilot().live()) {
      try {
        try {
          messageId = live.send(from.address(), to.normalized(), subject, r.body(), deliveryId);
        } finally {
          answered.run();
        }
      } catch (ProviderException e) {
        String error = (e.errorCode() == null ? "" : e.errorCode() + ": ") + e.getMessage();
        record(r, from, to.normalized(), subject, token, deliveryId, e.status(), null, error, "approved");
        throw e;
      }
      status = "sent";
    } else {
      messageId = "sim-" + deliveryId;
      Instant now = clock.instant();
      // The sent copy in the pilot mailbox, and the inbox copy when the recipient is a pilot mailbox too.
      mailbox.deliver(new StackContract.CatalogMessage(from.address(), messageId, from.address(), subject, now.toString(), r.body()));
      if (stack.pilot().mailbox(to.normalized()).isPresent() && !to.normalized().equalsIgnoreCase(from.address())) {
        mailbox.deliver(new StackContract.CatalogMessage(to.normalized(), messageId + "-in", from.address(), subject, now.toString(), r.body()));
      }
      status = "simulated";
    }
    record(r, from, to.normalized(), subject, token, deliveryId, status, messageId, null, "approved");
    return new Outcome(mode, from.address(), to.normalized(), subject, token, status, deliveryId, "approved", ExitCode.OK);
  }

  /**
   * Refuses a subject or sender that cannot be one header line (exit 2, naming the argument and the
   * character as U+000A): called before anything else is read or written.
   */
  public static void checkArguments(String subject, String from) {
    if (subject == null || subject.isBlank()) {
      throw new CommsException(ExitCode.USAGE, "--subject is empty; give the test message a subject");
    }
    refuseControl("--subject", subject, "a subject is one line: remove line breaks and control characters");
    refuseControl("--from", from, "give the address of a pilot mailbox (see comms mailboxes.list)");
  }

  private static void refuseControl(String option, String value, String todo) {
    Optional<ControlCharacters.Found> f = ControlCharacters.firstInHeader(value);
    if (f.isPresent()) {
      throw new CommsException(
          ExitCode.USAGE, option + " '" + ControlCharacters.visible(value) + "' holds " + f.get().describe() + " at character " + f.get().position() + "; " + todo);
    }
  }

  private StackContract.Mailbox sender(String requested) {
    if (requested == null) {
      return stack.pilot().activeMailboxes().stream()
          .findFirst()
          .orElseThrow(() -> new CommsException(ExitCode.CONTRACT, "no active pilot mailbox to send from; set active: true on one in pilot.mailboxes[]"));
    }
    StackContract.Mailbox m =
        stack.pilot().mailbox(requested)
            .orElseThrow(() -> new CommsException(ExitCode.USAGE, "--from " + requested + " is not a pilot mailbox; only pilot mailboxes send tests (see comms mailboxes.list)"));
    if (!m.active()) {
      throw new CommsException(ExitCode.USAGE, "--from " + requested + " is not active in pilot.mailboxes[]");
    }
    return m;
  }

  private void record(
      Request r, StackContract.Mailbox from, String to, String subject, String token, String deliveryId, String status, String messageId, String error, String approval) {
    record(r, from, to, subject, token, deliveryId, status, messageId, error, approval, status.equals("declined") ? 0 : 1);
  }

  private void record(
      Request r, StackContract.Mailbox from, String to, String subject, String token, String deliveryId, String status, String messageId, String error, String approval,
      int attempts) {
    Instant now = clock.instant();
    DeliveryRecord line =
        evidence.log(
            DeliveryRecord.builder()
                .time(now)
                .deliveryId(deliveryId)
                .runKey(r.runKey())
                .mode(stack.pilot().live() ? "live-pilot" : "simulation")
                .channel("mailbox")
                .messageType("send_test")
                .provider(provider)
                .to(to)
                .status(status)
                .providerMessageId(messageId)
                .idempotencyKey(token)
                .bodyHash(Sha256.hex(r.body()))
                .error(error)
                .attempts(attempts)
                .operator(r.operator())
                .build());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("run_key", r.runKey());
    doc.put("delivery_id", deliveryId);
    doc.put("time", line.fields().get("time"));
    doc.put("mode", line.mode());
    doc.put("backend", stack.pilot().executionBackend());
    doc.put("from", from.address());
    doc.put("to", to);
    doc.put("subject", subject);
    doc.put("token", token);
    doc.put("status", status);
    doc.put("approval", approval);
    doc.put("provider_message_id", messageId);
    doc.put("body_hash", line.bodyHash());
    doc.put("confirm_with", "comms mail.search --query \"subject:" + token + "\"");
    evidence.lastArtifact(evidence.paths().sendTestLast(), doc);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
