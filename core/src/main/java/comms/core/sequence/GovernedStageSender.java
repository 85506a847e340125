package comms.core.sequence;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Channels;
import comms.core.contract.TemplatesCatalog;
import comms.core.delivery.Approver;
import comms.core.delivery.GovernedSend;
import comms.core.delivery.SendOutcome;
import comms.core.delivery.TransactionalSend;
import comms.core.json.Json;
import comms.core.send.PreviewRequest;
import comms.core.store.EnrollmentStore.EnrollmentRow;
import comms.core.store.SequenceStore.SequenceRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Sends a stage through {@link GovernedSend} as the sequence's owner: the same gates, caps, journal
 * and audit as any send. The launch was the person's approval, so the prompt is not asked again per
 * stage. Consent is what the store recorded: for email the policy's implied consent when nothing is
 * recorded, for SMS nothing short of a recorded opt-in passes the consent gate.
 */
public final class GovernedStageSender implements StageSender {
  /** The launch approved every stage send of the sequence. */
  static final Approver LAUNCHED = summary -> true;

  private final Function<String, GovernedSend> pathFor;
  private final BiFunction<String, String, Optional<String>> consent;
  private final Clock clock;
  private final boolean live;
  private final String runKey;
  private final StageBodies bodies;
  private Function<String, GovernedSend> imessagePaths;
  private Function<String, Optional<String>> phoneOf;
  private ImessageStaging staging;

  /** Tells the queue which stage the next dispatch of an owner's iMessage path belongs to (its key, message type, sequence and stage). */
  @FunctionalInterface
  public interface ImessageStaging {
    void next(String owner, String idempotencyKey, String messageType, String sequenceId, int stage);
  }

  /**
   * Sends iMessage stages through {@code paths} (an owner's governed path whose dispatch queues the text
   * for the daemon) to the number {@code phoneOf} finds registered for a recipient's email; the worker's
   * {@link ImessageGate} checked the allowlist, the consent prerequisites, the hours and the cap before.
   */
  public GovernedStageSender imessage(Function<String, GovernedSend> paths, Function<String, Optional<String>> phoneOf, ImessageStaging staging) {
    this.imessagePaths = Objects.requireNonNull(paths);
    this.phoneOf = Objects.requireNonNull(phoneOf);
    this.staging = Objects.requireNonNull(staging);
    return this;
  }

  /**
   * @param pathFor the governed path acting as an owner (their caps, their audit rows)
   * @param consent the recorded consent state of (channel, recipient)
   */
  public GovernedStageSender(
      Function<String, GovernedSend> pathFor, BiFunction<String, String, Optional<String>> consent, Clock clock, boolean live, String runKey) {
    this(pathFor, consent, clock, live, runKey, null);
  }

  /**
   * @param bodies the stages' texts: a snippet stage sends its pinned version in place of its route's
   *     template, through the same renderer and gates (null: snippet stages cannot be sent)
   */
  public GovernedStageSender(
      Function<String, GovernedSend> pathFor, BiFunction<String, String, Optional<String>> consent, Clock clock, boolean live, String runKey,
      StageBodies bodies) {
    this.bodies = bodies;
    this.pathFor = Objects.requireNonNull(pathFor);
    this.consent = Objects.requireNonNull(consent);
    this.clock = Objects.requireNonNull(clock);
    this.live = live;
    this.runKey = runKey;
  }

  @Override
  public SendOutcome send(SequenceRow sequence, EnrollmentRow e, int stage, SequencePlan.StagePlan plan, String key) {
    if (plan.medium().equals("imessage")) {
      requireQueue(sequence, stage);
      // The queue row is staged for this key before the send, which the iMessage path then fills.
      staging.next(sequence.owner(), key, plan.messageType(), sequence.id(), stage);
      return imessagePaths.apply(sequence.owner()).send(request(sequence, e, stage, plan, key), LAUNCHED);
    }
    return pathFor.apply(sequence.owner()).send(request(sequence, e, stage, plan, key), LAUNCHED);
  }

  private void requireQueue(SequenceRow sequence, int stage) {
    if (imessagePaths == null) {
      throw new CommsException(ExitCode.CONTRACT, "stage " + stage + " of " + sequence.id() + " goes out by iMessage, but this worker was not given the iMessage queue");
    }
  }

  /**
   * Each owner's run of consecutive email and SMS calls goes through their governed path as one
   * group commit; an iMessage stage goes alone, through the queue's path.
   */
  @Override
  public List<GovernedSend.Settled> sendAll(List<Call> calls) {
    List<GovernedSend.Settled> out = new ArrayList<>(calls.size());
    int from = 0;
    while (from < calls.size()) {
      Call first = calls.get(from);
      if (first.plan().medium().equals("imessage")) {
        out.add(settledAlone(first));
        from++;
        continue;
      }
      String owner = first.sequence().owner();
      int to = from;
      List<GovernedSend.Request> rs = new ArrayList<>();
      while (to < calls.size() && calls.get(to).sequence().owner().equals(owner) && !calls.get(to).plan().medium().equals("imessage")) {
        Call c = calls.get(to);
        rs.add(request(c.sequence(), c.enrollment(), c.stage(), c.plan(), c.idempotencyKey()));
        to++;
      }
      out.addAll(pathFor.apply(owner).sendAll(rs, LAUNCHED));
      from = to;
    }
    return out;
  }

  private GovernedSend.Settled settledAlone(Call c) {
    try {
      return new GovernedSend.Settled(send(c.sequence(), c.enrollment(), c.stage(), c.plan(), c.idempotencyKey()), null);
    } catch (CommsException x) {
      return new GovernedSend.Settled(null, x);
    }
  }

  private GovernedSend.Request request(SequenceRow sequence, EnrollmentRow e, int stage, SequencePlan.StagePlan plan, String key) {
    boolean imessage = plan.medium().equals("imessage");
    // An iMessage is a text: the message type's SMS route, template and gates, to the number the recipient consented with.
    String channel = plan.medium().equals("email") ? Channels.EMAIL : Channels.SMS;
    String to = imessage ? phoneOf.apply(e.email()).orElseThrow() : channel.equals(Channels.SMS) ? e.phone() : e.email();
    // The consent an iMessage rests on is the recorded phone consent the gate just checked; a recorded SMS opt-out still wins.
    String claimed = consent.apply(channel, to).orElse(imessage ? "opted-in" : channel.equals(Channels.EMAIL) ? "implied" : "unknown");
    Map<String, String> vars = new LinkedHashMap<>();
    Json.parseObject(e.varsJson()).forEach((k, v) -> vars.put(k, v == null ? null : String.valueOf(v)));
    TemplatesCatalog.Template body = null;
    if (plan.fromSnippet()) {
      if (bodies == null) {
        throw new CommsException(ExitCode.CONTRACT, "stage " + stage + " of " + sequence.id() + " pins snippet " + plan.snippet() + ", but this worker was not given the snippet library");
      }
      body = bodies.override(plan);
    }
    // A stage email is bulk-style mail: the bulk-email gate and the List-Unsubscribe headers apply.
    PreviewRequest preview = new PreviewRequest(channel, plan.messageType(), to, claimed, vars, clock.instant(), null, live, body, channel.equals(Channels.EMAIL));
    return new GovernedSend.Request(preview, key, true, false, runKey, "sequence.run", new TransactionalSend.Stage(sequence.id(), stage));
  }
}
