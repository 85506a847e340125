package comms.core.delivery;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.OperatorsContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.StackContract;
import comms.core.mail.SendTest;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.operator.Sender;
import comms.core.provider.ProviderException;
import comms.core.send.Preview;
import comms.core.send.PreviewRequest;
import comms.core.send.Previewer;
import comms.core.store.SendCaps;
import comms.core.store.SendPacing;
import comms.core.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one governed path every message takes, whoever asks for it (a command, the sequence worker,
 * the HTTP API, an agent): identity → permissions → caps (taken, and given back when the send was
 * certainly not made) → gates → approval → idempotency claim → dispatch with retries → journal →
 * audit, returning a sealed {@link SendOutcome}. The audit row of a finished send commits with its
 * done mark, so a run killed in between leaves the key in flight for the next run to reconcile.
 */
public final class GovernedSend {
  private final TransactionalSend engine;
  private final OperatorsContract operators;
  private final SendCaps caps;
  private final ProvidersContract providers;
  private final ProviderRates rates;
  private final AuditTrail audit;
  private final Clock clock;
  private Pacer pacer;

  /** The parts of the path: the previewer (gates), providers and their adapters, evidence, caps, and the run's audit trail. */
  public record Parts(
      Previewer previewer,
      ProvidersContract providers,
      OperatorsContract operators,
      ProviderDirectory directory,
      Evidence evidence,
      SendCaps caps,
      AuditTrail audit,
      Clock clock,
      Consumer<String> notes) {
    public Parts {
      Objects.requireNonNull(previewer);
      Objects.requireNonNull(providers);
      Objects.requireNonNull(operators);
      Objects.requireNonNull(directory);
      Objects.requireNonNull(evidence);
      Objects.requireNonNull(caps);
      Objects.requireNonNull(audit);
      Objects.requireNonNull(clock);
      Objects.requireNonNull(notes);
    }
  }

  public GovernedSend(Parts parts) {
    this(
        new TransactionalSend(parts.previewer(), parts.providers(), parts.directory(), parts.evidence(), parts.clock(), parts.notes()),
        parts.operators(),
        parts.caps(),
        parts.audit(),
        parts.clock(),
        parts.providers(),
        SendPacing.of(parts.evidence().store()));
  }

  private GovernedSend(
      TransactionalSend engine, OperatorsContract operators, SendCaps caps, AuditTrail audit, Clock clock, ProvidersContract providers, SendPacing pacing) {
    this.engine = engine;
    this.operators = operators;
    this.caps = Objects.requireNonNull(caps);
    this.audit = Objects.requireNonNull(audit);
    this.clock = Objects.requireNonNull(clock);
    this.providers = providers;
    this.rates = new ProviderRates(pacing, clock);
    this.pacer = pacing == null ? Pacer.NONE : Pacer.on(clock);
  }

  /**
   * The governed path for pilot send-tests only ({@link #sendTest}): caps, permissions and audit, with
   * no transactional engine, so the delivery, template and policy contracts are not read.
   */
  public static GovernedSend pilot(SendCaps caps, AuditTrail audit, Clock clock) {
    return new GovernedSend(null, null, caps, audit, clock, null, null);
  }

  /**
   * The pilot path with its mailboxes' provider rates: a send-test is paced at its mailbox provider's
   * rate (Graph: 30 a minute per mailbox by default), the slots shared through {@code pacing}.
   */
  public static GovernedSend pilot(SendCaps caps, AuditTrail audit, Clock clock, ProvidersContract providers, SendPacing pacing) {
    return new GovernedSend(null, null, caps, audit, clock, providers, pacing);
  }

  /** Refusal code of a send whose provider's rate is booked further ahead than {@link #RATE_AHEAD} windows; followed by ':' and the instant its slot opens. */
  public static final String RATE_LIMITED = "rate_limited";

  /** How many of its rate's windows a send waits for its slot at most before it is refused (and a worker defers it). */
  public static final int RATE_AHEAD = 2;

  /**
   * The share of a provider's rate comms uses: sends are spaced {@code 50/49} of the rate's interval
   * apart (98 %, a little less after rounding up), so that a send that leaves a few milliseconds late
   * (a slow disk, a busy machine) and the next one on time still arrive at the provider no closer than
   * the rate allows.
   */
  public static final double RATE_SHARE = 0.98;

  /**
   * The spacing comms keeps between sends of {@code rate}: its interval over {@link #RATE_SHARE},
   * rounded up to the millisecond the store keeps instants in (Resend's 500 ms becomes 511 ms).
   */
  public static java.time.Duration spacing(ProvidersContract.Rate rate) {
    long nanos = rate.interval().multipliedBy(50).dividedBy(49).toNanos();
    return java.time.Duration.ofMillis((nanos + 999_999) / 1_000_000);
  }

  /** Paces sends with {@code p} instead of the clock's own pacer (tests drive a clock that moves when waited on). */
  public GovernedSend pacer(Pacer p) {
    this.pacer = Objects.requireNonNull(p);
    return this;
  }

  /**
   * One message to govern. {@code auditVerb} names the caller in the audit row (send.execute,
   * sequence.run, …); {@code idempotencyKey} null derives one from the content.
   */
  public record Request(
      PreviewRequest preview, String idempotencyKey, boolean execute, boolean retryInterrupted, String runKey, String auditVerb, TransactionalSend.Stage stage) {
    public Request {
      Objects.requireNonNull(preview);
      Objects.requireNonNull(auditVerb);
    }

    public Request(PreviewRequest preview, String idempotencyKey, boolean execute, boolean retryInterrupted, String runKey, String auditVerb) {
      this(preview, idempotencyKey, execute, retryInterrupted, runKey, auditVerb, null);
    }
  }

  /** Governs one message for the audit trail's identity; a dry run ({@code execute} false) writes nothing. */
  public SendOutcome send(Request r, Approver approver) {
    if (engine == null) {
      throw new IllegalStateException("this governed path was built for pilot send-tests only (GovernedSend.pilot)");
    }
    Identity who = audit.identity();
    Trace trace = new Trace();
    engine.completion(auditedCompletion(r, trace));
    TransactionalSend.Outcome o;
    try {
      o = engine.run(request(r, who), approver, new CapAdmission(who), fromOf(who, trace));
    } catch (CommsException e) {
      auditError(r, e);
      throw e;
    }
    return settle(r, o, trace);
  }

  private TransactionalSend.Request request(Request r, Identity who) {
    // A stage email of an owner who has their own mailbox (Gmail) goes out from it, as them.
    PreviewRequest asked = r.preview();
    if (r.stage() != null && comms.core.contract.Channels.EMAIL.equals(asked.channel()) && asked.via() == null) {
      asked = Sender.ownMailbox(operators, who.owner()).map(asked::via).orElse(asked);
    }
    return new TransactionalSend.Request(asked, r.idempotencyKey(), r.execute(), r.retryInterrupted(), r.runKey(), who.owner(), r.stage());
  }

  /** A finished send's done mark commits with its audit row. */
  private TransactionalSend.Completion auditedCompletion(Request r, Trace trace) {
    return (done, markDone) -> {
      audit.apply(action(r, done, trace.fromOperator), () -> {
        markDone.run();
        return null;
      }, x -> Map.of());
      trace.audited = done;
    };
  }

  private TransactionalSend.From fromOf(Identity who, Trace trace) {
    return (provider, p) -> {
      String from = Sender.emailFrom(operators, provider.name(), p.channel(), who.operator());
      trace.fromOperator = from != null;
      return from;
    };
  }

  /** The audit row of an executed send that threw (not for bad input or a broken outbox, which change nothing). */
  private void auditError(Request r, CommsException e) {
    if (r.execute() && e.exitCode() != ExitCode.USAGE && e.exitCode() != ExitCode.CONTRACT) {
      PreviewRequest p = r.preview();
      audit.record(
          AuditTrail.Action.of(r.auditVerb(), "delivery", null)
              .with("outcome", "error")
              .with("channel", p.channel())
              .with("message_type", p.messageType())
              .with("recipient_sha256", AuditTrail.hash(p.to()))
              .with("error", e instanceof ProviderException pe ? AuditTrail.errorCode(pe.errorCode()) : "exit_" + e.exitCode().code())
              .with("exit_code", e.exitCode().code()));
    }
  }

  /** The sealed outcome, with the audit row of a send whose row did not commit with a done mark. */
  private SendOutcome settle(Request r, TransactionalSend.Outcome o, Trace trace) {
    SendOutcome outcome = SendOutcome.of(o);
    boolean stageWaits = r.stage() != null && outcome instanceof SendOutcome.Deferred;
    if (r.execute() && trace.audited != o && !stageWaits) {
      audit.record(action(r, o, trace.fromOperator));
    }
    return outcome;
  }

  /** How one send of {@link #sendAll} ended: its outcome, or the refusal it threw (exactly one is set). */
  public record Settled(SendOutcome outcome, CommsException error) {}

  /**
   * Governs several sends with group commit: their claims and cap units commit in one store
   * transaction before any is dispatched, their lines go to the log in one write forced once, and
   * their done marks and audit rows commit in one more transaction after that. Each send passes the
   * same states as {@link #send} alone, so a crash anywhere leaves each either not sent, or sent
   * with its line on disk (the next run reconciles it), never reported done before its line is
   * durable. Paced runs (the real clock, where a provider's rate sets the speed) send one by one:
   * a wait for a slot must not hold the store's write lock. After a send its cap refuses, the rest of
   * the batch is not tried (their entries are null). {@code approver} must answer at once (a launch's
   * approval): the batch holds the store's write lock while it asks.
   */
  public List<Settled> sendAll(List<Request> rs, Approver approver) {
    if (engine == null) {
      throw new IllegalStateException("this governed path was built for pilot send-tests only (GovernedSend.pilot)");
    }
    List<Settled> out = new ArrayList<>(Collections.nCopies(rs.size(), (Settled) null));
    // On PostgreSQL every statement error aborts the whole transaction, and the send path's claims rely
    // on statements that may fail and be handled (SQLite goes on after them): there a batch is sent one
    // by one, each step its own transaction, as before group commit. Exactly-once rests on the claims either way.
    if (rs.size() <= 1 || pacer.paces() || engine.store().postgres()) {
      for (int i = 0; i < rs.size(); i++) {
        try {
          out.set(i, new Settled(send(rs.get(i), approver), null));
        } catch (CommsException e) {
          out.set(i, new Settled(null, e));
        }
      }
      return out;
    }
    Identity who = audit.identity();
    Store store = engine.store();
    // Once for the batch, just before its claims (its approver does not wait): no send is claimed that could not be logged.
    engine.ensureJournalWritable();
    List<Trace> traces = new ArrayList<>();
    List<Object> prepared = new ArrayList<>(Collections.nCopies(rs.size(), null));
    store.atomically("claim a batch of sends", () -> {
      for (int i = 0; i < rs.size(); i++) {
        Request r = rs.get(i);
        Trace trace = new Trace();
        traces.add(trace);
        engine.completion(auditedCompletion(r, trace));
        try {
          Object p = engine.prepare(request(r, who), approver, new CapAdmission(who), fromOf(who, trace), true);
          prepared.set(i, p);
          if (p instanceof TransactionalSend.Outcome o && o.status().equals("failed") && SendCaps.explain(who.owner(), o.error()) != null) {
            break;
          }
        } catch (CommsException e) {
          auditError(r, e);
          prepared.set(i, e);
        }
      }
      return null;
    });
    if (prepared.stream().anyMatch(p -> p instanceof TransactionalSend.Admitted)) {
      engine.afterClaims();
    }
    List<TransactionalSend.Admitted> dispatched = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < prepared.size(); i++) {
      if (prepared.get(i) instanceof TransactionalSend.Admitted a) {
        TransactionalSend.Outcome failed = engine.dispatch(a);
        if (failed == null) {
          dispatched.add(a);
          at.add(i);
        } else {
          prepared.set(i, failed);
        }
      }
    }
    if (!dispatched.isEmpty()) {
      List<TransactionalSend.Outcome> done = engine.finish(dispatched, work -> store.atomically("mark a batch of sends done", () -> {
        work.run();
        return null;
      }));
      for (int k = 0; k < done.size(); k++) {
        prepared.set(at.get(k), done.get(k));
      }
    }
    for (int i = 0; i < prepared.size(); i++) {
      Object p = prepared.get(i);
      if (p instanceof CommsException e) {
        out.set(i, new Settled(null, e));
      } else if (p instanceof TransactionalSend.Outcome o) {
        out.set(i, new Settled(settle(rs.get(i), o, traces.get(i)), null));
      }
    }
    return out;
  }

  /** What one send's hooks saw: whether From was the operator's own, and the outcome whose row committed with its done mark. */
  private static final class Trace {
    boolean fromOperator;
    TransactionalSend.Outcome audited;
  }

  /** A pilot send-test to govern: the mailbox asked for (null: the operator's own), recipient, subject and body. */
  public record PilotRequest(String from, String to, String subject, String body, boolean execute, String runKey) {
    public PilotRequest {
      Objects.requireNonNull(to);
      Objects.requireNonNull(subject);
      Objects.requireNonNull(body);
    }
  }

  /** How a pilot send-test ended, with the refusal of a cap or of the mailbox provider's rate after approval (null when none). */
  public record PilotOutcome(SendTest.Outcome detail, String capRefusal) {}

  /**
   * Governs one pilot send-test for the audit trail's identity: the sender mailbox (the one asked for,
   * else the operator's own) and the permission to send from it, the caps (taken after approval, just
   * before the send, and given back when Graph certainly did not send), and the audit row of an
   * executed attempt however it ends. {@code test} is built only once the sender is allowed (a live
   * mailer checks its settings when built); a dry run writes nothing.
   */
  public PilotOutcome sendTest(PilotRequest r, StackContract stack, Supplier<SendTest> test, Approver approver) {
    return new PilotSend(caps, audit, clock, providers, rates, pacer).run(r, stack, test, approver);
  }

  /**
   * Takes a unit of the operator's caps just before dispatch, remembered with the delivery: a run
   * that re-sends the delivery of a run that died reuses the unit that run took, and a send certainly
   * not made gives back exactly its unit. Each message sent counts once.
   */
  private final class CapAdmission implements TransactionalSend.Admission {
    private final Identity who;
    private final String owner;

    CapAdmission(Identity who) {
      this.who = who;
      this.owner = who.owner();
    }

    @Override
    public Optional<String> refuse(Preview p, TransactionalSend.Request r, String deliveryId) {
      Optional<String> slow = rates.await(pacer, paced(p));
      return slow.isPresent() ? slow : caps.take(owner, clock.instant(), deliveryId);
    }

    /**
     * Just before the request leaves: the slot was kept, but what ran since (the cap, the delivery's
     * records) may have made it late, and the next send may be on time; departures are spaced too.
     */
    @Override
    public void departing(Preview p, TransactionalSend.Request r, String deliveryId) {
      rates.depart(pacer, paced(p), deliveryId);
    }

    @Override
    public void answered(Preview p, TransactionalSend.Request r, String deliveryId) {
      rates.answered(pacer, paced(p), deliveryId);
    }

    /** The send's rate scope (the provider, or one of its senders), how many units it takes, and the rate. */
    private ProviderRates.Scope paced(Preview p) {
      ProvidersContract.Provider provider = providers.provider(p.provider()).orElseThrow();
      ProvidersContract.Rate rate = provider.rate();
      String sender = rate.scope().equals("account") ? null : Sender.emailFrom(operators, provider.name(), p.channel(), who.operator());
      String scope = provider.name() + (rate.scope().equals("account") ? "" : ":" + (sender != null ? sender : String.valueOf(provider.from())));
      int units = rate.unit().equals("segment") && p.sms() != null ? Math.max(1, p.sms().segments()) : 1;
      return new ProviderRates.Scope(scope, units, rate);
    }

    @Override
    public void withdrawn(Preview p, TransactionalSend.Request r, String deliveryId) {
      caps.giveBack(deliveryId);
    }
  }

  /** The sentence that explains a refused send to a person: a cap's or a rate's explanation, else the outcome's note. */
  public static String explain(String owner, SendOutcome o) {
    TransactionalSend.Outcome d = o.detail();
    String why = d.status().equals("failed") ? explainRefusal(owner, d.error()) : null;
    return why != null ? why : d.note();
  }

  /** The sentence of a refusal code: a send cap's, or a provider rate booked too far ahead; null for any other code. */
  public static String explainRefusal(String owner, String code) {
    String cap = SendCaps.explain(owner, code);
    if (cap != null || code == null || !code.startsWith(RATE_LIMITED + ":")) {
      return cap;
    }
    String opens = code.substring(RATE_LIMITED.length() + 1);
    return "the provider's send rate is booked by other sends until " + opens + " (more than " + RATE_AHEAD
        + " of its windows ahead); nothing was sent. Send again from " + opens;
  }

  /** The audit row of an executed send: what happened, with the recipient only as a hash. */
  static AuditTrail.Action action(Request r, TransactionalSend.Outcome o, boolean fromOperator) {
    Preview p = o.preview();
    Map<String, Object> m = new LinkedHashMap<>();
    if (r.stage() != null) {
      m.put("sequence_id", r.stage().sequenceId());
      m.put("stage", r.stage().number());
    }
    m.put("outcome", o.status());
    m.put("approval", o.approval());
    m.put("channel", p.channel());
    m.put("message_type", p.messageType());
    m.put("provider", p.provider());
    m.put("mode", p.mode());
    m.put("recipient_sha256", AuditTrail.hash(p.to()));
    m.put("from_operator", fromOperator);
    m.put("attempts", o.attempts());
    if (o.status().equals("blocked") && !p.allowed()) {
      m.put("gates_failed", p.failures().stream().map(g -> g.name()).toList());
      if (p.nextAllowedAt() != null) {
        m.put("next_allowed_at", p.nextAllowedAt().toString());
      }
    } else if (o.status().equals("blocked")) {
      m.put("error", "dispatch_in_progress");
    } else if (o.status().equals("declined")) {
      m.put("error", "approval_declined");
    } else if (o.error() != null) {
      m.put("error", AuditTrail.errorCode(o.error()));
    }
    m.put("exit_code", o.exit().code());
    return new AuditTrail.Action(r.auditVerb(), "delivery", o.deliveryId(), m);
  }
}
