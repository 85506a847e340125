package comms.core.delivery;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.ProvidersContract;
import comms.core.json.Json;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.DeliveryRecord;
import comms.core.outbox.Sha256;
import comms.core.provider.Dispatch;
import comms.core.provider.DispatchResult;
import comms.core.provider.ProviderException;
import comms.core.send.ControlCharacters;
import comms.core.send.Gate;
import comms.core.send.Preview;
import comms.core.send.PreviewRequest;
import comms.core.send.Previewer;
import comms.core.store.IdempotencyStore;
import comms.core.store.SentMessages;
import comms.core.store.Store;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Executes one transactional send: preview under every gate, approval, idempotent dispatch, and
 * the evidence (delivery-log line, transaction-last artifact, idempotency record). Nothing is
 * reported as done before the log line is on disk.
 */
public final class TransactionalSend {
  /** Named points where crash tests may stop the process. */
  public static final String FAULT_AFTER_CLAIM = "send.after-claim";

  public static final String FAULT_AFTER_DISPATCH = "send.after-dispatch";

  /** The provider's answer is in the store ({@link InterruptedClaim}); the delivery-log line is not written yet. */
  public static final String FAULT_AFTER_RECORDED = "send.after-recorded";

  public static final String FAULT_AFTER_LOG = "send.after-log";

  /** The key is done in the store (with the caller's audit row); the run has not reported yet. */
  public static final String FAULT_AFTER_DONE = "send.after-done";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Previewer previewer;
  private final ProvidersContract providers;
  private final ProviderDirectory directory;
  private final Evidence evidence;
  private final Clock clock;
  private final Consumer<String> notes;

  public TransactionalSend(
      Previewer previewer, ProvidersContract providers, ProviderDirectory directory, Evidence evidence, Clock clock, Consumer<String> notes) {
    this.previewer = previewer;
    this.providers = providers;
    this.directory = directory;
    this.evidence = evidence;
    this.clock = clock;
    this.notes = notes;
  }

  /**
   * What to send. {@code idempotencyKey} null derives one from channel, message type, recipient and
   * rendered body; {@code retryInterrupted} allows re-sending a key whose earlier run died mid-dispatch
   * through a provider that cannot de-duplicate (the operator checked it did not arrive).
   */
  public record Request(
      PreviewRequest preview, String idempotencyKey, boolean execute, boolean retryInterrupted, String runKey, String operator, Stage stage) {
    public Request(PreviewRequest preview, String idempotencyKey, boolean execute, boolean retryInterrupted, String runKey, String operator) {
      this(preview, idempotencyKey, execute, retryInterrupted, runKey, operator, null);
    }
  }

  /** The sequence and stage a send belongs to, recorded on its delivery-log line. */
  public record Stage(String sequenceId, int number) {}

  /**
   * What happened. {@code status} is the delivery-log status, or {@code dry-run} / {@code duplicate};
   * {@code approval} approved | declined | not-asked.
   */
  public record Outcome(
      Preview preview,
      String status,
      String deliveryId,
      String idempotencyKey,
      String providerMessageId,
      int attempts,
      String error,
      String approval,
      ExitCode exit,
      String note) {}

  /**
   * Hooks that run just before dispatch, inside the idempotency claim (per-operator caps). Both get
   * the delivery id being sent: a run that re-sends the delivery of a run that died gets that run's
   * id, so what the dead run took for it (a cap unit) is reused, not taken twice.
   */
  @FunctionalInterface
  public interface Admission {
    Admission ALWAYS = (p, r, id) -> Optional.empty();

    /** Empty to go ahead, else the reason the send may not be made now (recorded as failed, exit 4). */
    Optional<String> refuse(Preview preview, Request request, String deliveryId);

    /**
     * The admitted send was certainly not made (the provider refused it, or was never reached): undo
     * what {@link #refuse} took, such as a unit of a send cap. Not called when it may have been sent.
     */
    default void withdrawn(Preview preview, Request request, String deliveryId) {}

    /** The admitted send is about to leave (the request is made next): a provider rate's departure spacing waits here. */
    default void departing(Preview preview, Request request, String deliveryId) {}

    /** The provider answered the request (or it failed): how long it took may hold the next one back. */
    default void answered(Preview preview, Request request, String deliveryId) {}
  }

  /** How long a run waits for another run dispatching the same message before it reports it blocked. */
  public static final Duration WAIT_FOR_OTHER_RUN = Duration.ofSeconds(5);

  private Duration waitForOtherRun = WAIT_FOR_OTHER_RUN;

  /** Waits at most {@code d} for a run dispatching the same message (tests make it short). */
  public TransactionalSend waitForOtherRun(Duration d) {
    this.waitForOtherRun = java.util.Objects.requireNonNull(d);
    return this;
  }

  /**
   * How a finished send is marked done in the state store. {@code markDone} must run exactly once;
   * a caller may run it inside its own store transaction (the audit row of the send, committed with
   * the done mark or not at all). The default just runs it.
   */
  @FunctionalInterface
  public interface Completion {
    Completion PLAIN = (outcome, markDone) -> markDone.run();

    void complete(Outcome outcome, Runnable markDone);
  }

  private Completion completion = Completion.PLAIN;

  /** Marks finished sends done through {@code c} (see {@link Completion}). */
  public TransactionalSend completion(Completion c) {
    this.completion = java.util.Objects.requireNonNull(c);
    return this;
  }

  /** Fails now when the delivery log could not take a line ({@link DeliveryJournal#ensureWritable}). */
  void ensureJournalWritable() {
    evidence.journal().ensureWritable();
  }

  /** In a batch: its claims have committed, nothing is dispatched yet (crash tests). */
  void afterClaims() {
    evidence.faults().reached(FAULT_AFTER_CLAIM);
  }

  /** The store this engine claims and completes sends in. */
  Store store() {
    return evidence.store();
  }

  public Outcome run(Request r, Approver approver) {
    return run(r, approver, Admission.ALWAYS);
  }

  /** Who a message is From instead of the provider's own address (the acting operator, for email); null keeps the provider's. */
  @FunctionalInterface
  public interface From {
    From PROVIDER = (provider, preview) -> null;

    String from(ProvidersContract.Provider provider, Preview preview);
  }

  public Outcome run(Request r, Approver approver, Admission admission) {
    return run(r, approver, admission, From.PROVIDER);
  }

  public Outcome run(Request r, Approver approver, Admission admission, From from) {
    Object prepared = prepare(r, approver, admission, from, false);
    if (prepared instanceof Outcome o) {
      return o;
    }
    Admitted a = (Admitted) prepared;
    Outcome failed = dispatch(a);
    return failed != null ? failed : finish(List.of(a), Runnable::run).get(0);
  }

  /**
   * A send past its idempotency claim and admission, holding its dispatch lock, waiting to be
   * dispatched ({@link #dispatch}) and then logged and marked done ({@link #finish}).
   */
  static final class Admitted {
    final Preview preview;
    final Request request;
    final String key;
    final String deliveryId;
    final DispatchLock lock;
    final ProvidersContract.Provider provider;
    final comms.core.provider.Provider adapter;
    final Admission admission;
    final Dispatch dispatch;
    final Completion completion;
    DispatchResult sent;

    Admitted(Preview p, Request r, String key, String deliveryId, DispatchLock lock, ProvidersContract.Provider provider, comms.core.provider.Provider adapter,
        Admission admission, Dispatch d, Completion completion) {
      this.preview = p;
      this.request = r;
      this.key = key;
      this.deliveryId = deliveryId;
      this.lock = lock;
      this.provider = provider;
      this.adapter = adapter;
      this.admission = admission;
      this.dispatch = d;
      this.completion = completion;
    }
  }

  /**
   * Everything before the dispatch: preview, idempotency, approval, the dispatch lock, the claim and
   * the admission. Returns the {@link Outcome} of a send that ends here (dry run, duplicate, blocked,
   * declined, refused, reconciled), else the {@link Admitted} send, which then holds the lock. Its
   * store writes may run inside a caller's transaction, which must commit before the dispatch.
   * {@code journalChecked}: the caller (a batch, with an approver that does not wait) has just checked
   * that the log can take a line.
   */
  Object prepare(Request r, Approver approver, Admission admission, From from, boolean journalChecked) {
    Preview p = previewer.preview(r.preview());
    String key = r.idempotencyKey() != null ? checkKey(r.idempotencyKey()) : derivedKey(p);
    if (!r.execute()) {
      return new Outcome(p, "dry-run", null, key, null, 0, null, "not-asked", p.exitCode(), "dry run: nothing was sent or written; add --execute to send");
    }
    Store store = evidence.store();
    String content = IdempotencyKey.contentHash(p);
    Duration window = previewer.delivery().idempotency().window();
    Optional<IdempotencyStore.IdempotencyEntry> held = store.idempotency(key).filter(e -> !e.expired(clock.instant().minus(window)));
    if (held.isPresent()) {
      IdempotencyKey.refuseOtherContent(key, held.get(), content, window);
      if (held.get().done()) {
        return duplicate(p, key, held.get(), "not-asked", window);
      }
    }
    String deliveryId = newDeliveryId();
    if (!p.allowed()) {
      String why =
          p.verdict() == Preview.Verdict.deferred
              ? "deferred: quiet hours until " + p.nextAllowedAt()
              : "blocked: " + String.join("; ", p.failures().stream().map(g -> g.name() + ": " + g.reason()).toList());
      if (p.verdict() == Preview.Verdict.deferred && r.stage() != null) {
        // The worker waits and tries again at next_allowed_at: a stage that is merely early is no attempt to record.
        return new Outcome(p, "blocked", null, key, null, 0, why, "not-asked", ExitCode.POLICY, why);
      }
      record(p, r, deliveryId, key, "blocked", null, 0, why, "not-asked");
      return new Outcome(p, "blocked", deliveryId, key, null, 0, why, "not-asked", ExitCode.POLICY, why);
    }
    ProvidersContract.Provider provider = providers.provider(p.provider()).orElseThrow();
    var adapter = directory.provider(provider, p.live());
    String sender = from.from(provider, p);
    // Before asking: nobody should approve a send that could not be recorded (a batch checks once, just before it).
    if (!journalChecked) {
      evidence.journal().ensureWritable();
    }
    if (!approver.approve(summary(p, key, sender))) {
      record(p, r, deliveryId, key, "declined", null, 0, "approval declined", "declined");
      return new Outcome(p, "declined", deliveryId, key, null, 0, "approval declined", "declined", ExitCode.DECLINED, "declined: nothing was sent");
    }
    // Again after the answer, which may have taken minutes: the disk may have filled meanwhile.
    if (!journalChecked) {
      evidence.journal().ensureWritable();
    }
    Path locks = evidence.paths().state().resolve("in-flight");
    Optional<DispatchLock> lock = DispatchLock.tryAcquire(locks, key);
    if (lock.isEmpty()) {
      // An identical run started at the same moment: give it a moment to finish, then answer as it did.
      OtherRun other = OtherRun.await(store, locks, key, waitForOtherRun, notes);
      if (other.finished().isPresent()) {
        IdempotencyKey.refuseOtherContent(key, other.finished().get(), content, window);
        return duplicate(p, key, other.finished().get(), "approved", window);
      }
      lock = other.lock();
    }
    if (lock.isEmpty()) {
      String why = "another run is dispatching this message (idempotency key " + key + ") right now";
      record(p, r, deliveryId, key, "blocked", null, 0, why, "approved");
      return new Outcome(p, "blocked", deliveryId, key, null, 0, why, "approved", ExitCode.POLICY, why + "; nothing was sent");
    }
    DispatchLock dispatching = lock.get();
    boolean handedOver = false;
    try {
      IdempotencyStore.Claim claim = store.claim(key, deliveryId, content, clock.instant(), clock.instant().minus(window));
      if (claim instanceof IdempotencyStore.Claim.Done done) {
        IdempotencyKey.refuseOtherContent(key, done.entry(), content, window);
        return duplicate(p, key, done.entry(), "approved", window);
      }
      if (claim instanceof IdempotencyStore.Claim.InFlight inFlight) {
        IdempotencyKey.refuseOtherContent(key, inFlight.entry(), content, window);
        // We hold the dispatch lock, so the run that claimed this key died mid-dispatch, or it ran on
        // another host sharing the store (whose locks and log are not ours): InterruptedClaim says what settles it.
        String interrupted = inFlight.entry().deliveryId();
        InterruptedClaim.Verdict verdict = InterruptedClaim.of(inFlight.entry(), key, evidence.journal());
        if (verdict instanceof InterruptedClaim.Answered answered) {
          // The store knows the provider took it; this outbox's log has no line of it: write it, then the key is done.
          IdempotencyStore.Dispatched x = answered.answer();
          evidence.log(line(p, r, interrupted, key, x.status(), x.providerMessageId(), x.attempts(), null, x.messageId()));
          Outcome reconciled =
              new Outcome(p, "duplicate", interrupted, key, x.providerMessageId(), 0, null, "approved", ExitCode.OK,
                  "already sent by an interrupted earlier run (on this host or another sharing the store); reconciled from the store");
          completion.complete(
              reconciled, () -> store.complete(key, x.status(), x.providerMessageId(), result(x.status(), interrupted, x.providerMessageId()), clock.instant()));
          notes.accept("reconciled: an interrupted earlier run had already sent this message (" + interrupted + "), as the store recorded; nothing sent again");
          return reconciled;
        }
        if (verdict instanceof InterruptedClaim.Logged logged) {
          DeliveryRecord x = logged.line();
          Outcome reconciled =
              new Outcome(p, "duplicate", x.deliveryId(), key, x.providerMessageId(), 0, null, "approved", ExitCode.OK,
                  "already sent by an interrupted earlier run; reconciled from the delivery log");
          completion.complete(
              reconciled,
              () -> store.complete(key, x.status(), x.providerMessageId(), result(x.status(), x.deliveryId(), x.providerMessageId()), clock.instant()));
          notes.accept("reconciled: an interrupted earlier run had already sent this message (" + x.deliveryId() + "); nothing sent again");
          return reconciled;
        }
        // It may have been sent: again under the same key only where the provider de-duplicates on it, or a person checked.
        if (!directory.deduplicates(provider, p.live()) && !r.retryInterrupted()) {
          throw new CommsException(ExitCode.PROVIDER, InterruptedClaim.held(provider.name(), key));
        }
        deliveryId = interrupted;
        notes.accept("an earlier run died mid-dispatch; sending again under the same idempotency key " + key);
      }
      if (!journalChecked) {
        // A batch reaches it once its claims have committed ({@link #afterClaims}).
        evidence.faults().reached(FAULT_AFTER_CLAIM);
      }
      Optional<String> refused = admission.refuse(p, r, deliveryId);
      if (refused.isPresent()) {
        store.release(key);
        record(p, r, deliveryId, key, "failed", null, 0, refused.get(), "approved");
        return new Outcome(p, "failed", deliveryId, key, null, 0, refused.get(), "approved", ExitCode.POLICY, refused.get());
      }
      String fromAddress = sender != null ? sender : provider.from();
      // An email stage carries a Message-ID we chose, so a reply to it can be matched (replies.sync).
      Map<String, String> headers = new LinkedHashMap<>();
      if (r.stage() != null && p.channel().equals(comms.core.contract.Channels.EMAIL)) {
        headers.putAll(MessageIds.headers(deliveryId, fromAddress));
      }
      if (r.preview().bulk() && p.channel().equals(comms.core.contract.Channels.EMAIL)) {
        // Bulk email: List-Unsubscribe with one-click, in the one header list every email adapter sends.
        headers.putAll(UnsubscribeHeaders.of(previewer.policy().bulkEmail(), deliveryId));
      }
      Dispatch d = new Dispatch(deliveryId, key, p.channel(), fromAddress, p.to(), p.subject(), p.body(), p.html(), headers);
      if (d.messageId() != null) {
        // Before the dispatch: a reply can only name a message that went, and a crash after it must not lose the id.
        SentMessages.of(store).record(d.messageId(), deliveryId, r.operator(), p.to(), r.stage().sequenceId(), r.stage().number(), p.subject(), clock.instant());
      }
      handedOver = true;
      return new Admitted(p, r, key, deliveryId, dispatching, provider, adapter, admission, d, completion);
    } finally {
      if (!handedOver) {
        dispatching.close();
      }
    }
  }

  /**
   * Dispatches an admitted send. Null when the provider took it ({@code a.sent} holds its answer;
   * the lock stays held for {@link #finish}); else the failed send's outcome, recorded, lock released.
   */
  Outcome dispatch(Admitted a) {
    Preview p = a.preview;
    Request r = a.request;
    Store store = evidence.store();
    try {
      a.admission.departing(p, r, a.deliveryId);
      try {
        a.sent = a.adapter.send(a.dispatch);
      } finally {
        a.admission.answered(p, r, a.deliveryId);
      }
    } catch (ProviderException e) {
      try (DispatchLock held = a.lock) {
        if (e.optedOut()) {
          store.recordConsent(p.channel(), p.to(), "opted-out", a.provider.name() + " error " + e.errorCode(), clock.instant());
          notes.accept("recorded " + p.to() + " as opted out (" + a.provider.name() + " error " + e.errorCode() + ")");
        }
        // The cap unit goes back before the key is released: a kill in between leaves the key in
        // flight, and the run that reconciles it takes a unit afresh; never a unit lost.
        if (!e.mayHaveSent()) {
          a.admission.withdrawn(p, r, a.deliveryId);
        }
        if (!e.mayHaveSent() || directory.deduplicates(a.provider, p.live())) {
          store.release(a.key);
        }
        // Otherwise the claim stays in flight: the next run refuses until --retry-interrupted, never re-sends on its own.
        String error = (e.errorCode() == null ? "" : e.errorCode() + ": ") + e.getMessage();
        record(p, r, a.deliveryId, a.key, e.status(), null, e.attempts(), error, "approved");
        return new Outcome(p, e.status(), a.deliveryId, a.key, null, e.attempts(), error, "approved", ExitCode.PROVIDER, error);
      }
    } catch (RuntimeException e) {
      a.lock.close();
      throw e;
    }
    evidence.faults().reached(FAULT_AFTER_DISPATCH);
    return null;
  }

  /**
   * The dispatched sends' lines, in one write forced to disk once; then each is marked done (with
   * its completion) inside {@code atomically}, which runs its argument in one store transaction; then
   * the locks go. Nothing is marked done before every line of the batch is on disk.
   */
  List<Outcome> finish(List<Admitted> sent, java.util.function.Consumer<Runnable> atomically) {
    try {
      // The shared store learns first what each provider answered: a run on another host, whose log this
      // one's lines never reach, then settles a claim left in flight here from the store (InterruptedClaim).
      RuntimeException unrecorded = null;
      try {
        atomically.accept(() -> {
          for (Admitted a : sent) {
            IdempotencyStore.of(evidence.store())
                .dispatched(a.key, new IdempotencyStore.Dispatched(a.deliveryId, a.sent.status(), a.sent.providerMessageId(), a.sent.attempts(), a.dispatch.messageId()));
          }
        });
      } catch (RuntimeException e) {
        // The store is unreachable: the lines still go to the log (this host's next run reconciles from it), then the failure.
        unrecorded = e;
      }
      if (unrecorded == null) {
        evidence.faults().reached(FAULT_AFTER_RECORDED);
      }
      List<DeliveryRecord> lines = new java.util.ArrayList<>(sent.size());
      for (Admitted a : sent) {
        lines.add(line(a.preview, a.request, a.deliveryId, a.key, a.sent.status(), a.sent.providerMessageId(), a.sent.attempts(), null, a.dispatch.messageId()));
      }
      List<DeliveryRecord> written = evidence.logAll(lines);
      for (int i = 0; i < sent.size(); i++) {
        artifact(sent.get(i).preview, sent.get(i).request, written.get(i), "approved");
      }
      if (unrecorded != null) {
        throw unrecorded;
      }
      evidence.faults().reached(FAULT_AFTER_LOG);
      List<Outcome> done = new java.util.ArrayList<>(sent.size());
      atomically.accept(() -> {
        for (Admitted a : sent) {
          Outcome o = new Outcome(a.preview, a.sent.status(), a.deliveryId, a.key, a.sent.providerMessageId(), a.sent.attempts(), null, "approved", ExitCode.OK, null);
          Store store = evidence.store();
          a.completion.complete(
              o, () -> store.complete(a.key, a.sent.status(), a.sent.providerMessageId(), result(a.sent.status(), a.deliveryId, a.sent.providerMessageId()), clock.instant()));
          done.add(o);
        }
      });
      evidence.faults().reached(FAULT_AFTER_DONE);
      return done;
    } finally {
      for (Admitted a : sent) {
        a.lock.close();
      }
    }
  }

  private Outcome duplicate(Preview p, String key, IdempotencyStore.IdempotencyEntry e, String approval, Duration window) {
    String note =
        "already sent as " + e.deliveryId() + " (" + e.status() + ") at " + e.updatedAt() + "; nothing sent again (the key stays"
            + " bound to that message until " + e.updatedAt().plus(window) + ")";
    return new Outcome(p, "duplicate", e.deliveryId(), key, e.providerMessageId(), 0, null, approval, ExitCode.OK, note);
  }

  private static String result(String status, String deliveryId, String messageId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("delivery_id", deliveryId);
    m.put("provider_message_id", messageId);
    return Json.write(m);
  }

  /** Writes the delivery-log line, then the transaction-last artifact (the log line comes first: it is the record). */
  private void record(Preview p, Request r, String deliveryId, String key, String status, String messageId, int attempts, String error, String approval) {
    DeliveryRecord line = evidence.log(line(p, r, deliveryId, key, status, messageId, attempts, error, null));
    artifact(p, r, line, approval);
  }

  private DeliveryRecord line(Preview p, Request r, String deliveryId, String key, String status, String messageId, int attempts, String error, String internetId) {
    return DeliveryRecord.builder()
        .time(clock.instant())
        .deliveryId(deliveryId)
        .runKey(r.runKey())
        .mode(p.mode())
        .channel(p.channel())
        .messageType(p.messageType())
        .provider(p.provider())
        .to(p.to())
        .status(status)
        .providerMessageId(messageId)
        .idempotencyKey(key)
        .bodyHash(p.bodyHash())
        .error(error)
        .attempts(attempts)
        .operator(r.operator())
        .stage(r.stage() == null ? null : r.stage().sequenceId(), r.stage() == null ? null : r.stage().number())
        .messageId(internetId)
        .build();
  }

  /** The transaction-last artifact of a logged send (not for a stage send). */
  private void artifact(Preview p, Request r, DeliveryRecord line, String approval) {
    if (r.stage() != null) {
      // A stage send's evidence is its log line and its stage row; rewriting the last-transaction
      // artifact (two fsyncs) for each of a worker's thousands of sends would only slow the worker.
      return;
    }
    Map<String, Object> doc = new LinkedHashMap<>(line.fields());
    doc.remove("prev_hash");
    doc.put("approval", approval);
    doc.put("verdict", p.verdict().name());
    doc.put("template", p.templateId());
    Map<String, Object> gates = new LinkedHashMap<>();
    for (Gate g : p.gates()) {
      gates.put(g.name(), g.result().name());
    }
    doc.put("gates", gates);
    if (p.nextAllowedAt() != null) {
      doc.put("next_allowed_at", p.nextAllowedAt().toString());
    }
    evidence.lastArtifact(evidence.paths().transactionLast(), doc);
  }

  /** The approval summary: exactly what will happen (see {@link ApprovalSummary}). */
  static String summary(Preview p, String key) {
    return ApprovalSummary.of(p, key, null);
  }

  static String summary(Preview p, String key, String sender) {
    return ApprovalSummary.of(p, key, sender);
  }

  /**
   * The default key: the same message to the same recipient is the same send. An email's subject
   * and HTML are part of the message too (an SMS key is what it has always been).
   */
  public static String derivedKey(Preview p) {
    String text = p.channel() + "\n" + p.messageType() + "\n" + p.to() + "\n" + p.body();
    if (p.subject() != null || p.html() != null) {
      text += "\n" + Json.write(java.util.Arrays.asList(p.subject(), p.html()));
    }
    return Sha256.hex(text);
  }

  static String checkKey(String key) {
    if (key.isBlank() || key.length() > 256 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new CommsException(ExitCode.USAGE, "--idempotency-key must be 1-256 printable ASCII characters without spaces");
    }
    return key;
  }

  static String newDeliveryId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "dlv_" + HexFormat.of().formatHex(b);
  }
}
