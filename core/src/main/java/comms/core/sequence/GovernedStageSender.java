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
    return pathFor.apply(sequence.owner()).send(request(sequence, e, stage, plan, key), LAUNCHED);
  }

  /** Each owner's run of consecutive calls goes through their governed path as one group commit. */
  @Override
  public List<GovernedSend.Settled> sendAll(List<Call> calls) {
    List<GovernedSend.Settled> out = new ArrayList<>(calls.size());
    int from = 0;
    while (from < calls.size()) {
      String owner = calls.get(from).sequence().owner();
      int to = from;
      List<GovernedSend.Request> rs = new ArrayList<>();
      while (to < calls.size() && calls.get(to).sequence().owner().equals(owner)) {
        Call c = calls.get(to);
        rs.add(request(c.sequence(), c.enrollment(), c.stage(), c.plan(), c.idempotencyKey()));
        to++;
      }
      out.addAll(pathFor.apply(owner).sendAll(rs, LAUNCHED));
      from = to;
    }
    return out;
  }

  private GovernedSend.Request request(SequenceRow sequence, EnrollmentRow e, int stage, SequencePlan.StagePlan plan, String key) {
    String channel = plan.medium().equals("sms") ? Channels.SMS : Channels.EMAIL;
    String to = channel.equals(Channels.SMS) ? e.phone() : e.email();
    String claimed = consent.apply(channel, to).orElse(channel.equals(Channels.EMAIL) ? "implied" : "unknown");
    Map<String, String> vars = new LinkedHashMap<>();
    Json.parseObject(e.varsJson()).forEach((k, v) -> vars.put(k, v == null ? null : String.valueOf(v)));
    TemplatesCatalog.Template body = null;
    if (plan.fromSnippet()) {
      if (bodies == null) {
        throw new CommsException(ExitCode.CONTRACT, "stage " + stage + " of " + sequence.id() + " pins snippet " + plan.snippet() + ", but this worker was not given the snippet library");
      }
      body = bodies.override(plan);
    }
    PreviewRequest preview = new PreviewRequest(channel, plan.messageType(), to, claimed, vars, clock.instant(), null, live, body);
    return new GovernedSend.Request(preview, key, true, false, runKey, "sequence.run", new TransactionalSend.Stage(sequence.id(), stage));
  }
}
