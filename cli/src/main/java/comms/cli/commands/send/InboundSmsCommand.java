package comms.cli.commands.send;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.consent.InboundKeyword;
import comms.core.contract.Channels;
import java.util.LinkedHashMap;
import java.util.Map;
import comms.core.operator.AuditTrail;
import comms.core.store.InboundReview;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms inbound.sms`: apply the carrier keywords of an inbound SMS and print the reply to send. */
@ApprovalGated
@Command(
    name = "inbound.sms",
    description = {
      "Apply the carrier keywords to an inbound SMS.",
      "Handle an inbound SMS under the keyword rules of the policy: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT"
          + " record an opt-out; START, YES, UNSTOP an opt-in; HELP, INFO answer with the help text. The message is read as words:"
          + " case, spaces, punctuation, emoji and full-width forms do not matter (\"Stop.\" and \"¡STOP!\" are STOP). Asking to stop in"
          + " words (the policy's opt_out_phrases, such as \"stop texting me\") is an opt-out too. A stop word among other words"
          + " (\"can I stop by tomorrow?\") is ambiguous: kept and flagged for a person to review, consent unchanged, no reply."
          + " Prints the reply to send back. Recording needs --execute and a yes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms inbound.sms --from +13125550199 --body \"Stop.\"",
      "  echo yes | comms inbound.sms --from +13125550199 --body \"remove me\" --execute",
      "  comms inbound.sms --from +13125550199 --body \"can I stop by?\""
    })
public final class InboundSmsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "NUMBER", description = "The sender's E.164 number.")
  String from;

  @Option(names = "--body", required = true, paramLabel = "TEXT", description = "The message text.")
  String body;

  @Mixin ExecuteOption execute;

  record InboundView(String from, InboundKeyword k, boolean recorded, Long reviewId) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("from", from);
      m.put("keyword", k.keyword());
      m.put("action", k.action().name().replace('_', '-'));
      m.put("consent_state", k.consentState());
      m.put("flagged", k.flagged());
      m.put("recorded", recorded);
      m.put("review_id", reviewId);
      m.put("reply", k.reply());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      String consent =
          k.flagged()
              ? "unchanged; flagged for review" + (recorded ? " (recorded as #" + reviewId + ")" : " (not recorded: dry run)")
              : k.consentState() == null ? "unchanged" : k.consentState() + (recorded ? " (recorded)" : " (not recorded: dry run)");
      p.fields(
          "from", from,
          "keyword", k.keyword() == null ? "(none)" : k.keyword(),
          "action", k.action().name().replace('_', '-'),
          "consent", consent,
          "reply", k.reply() == null ? (k.flagged() ? "(none: a person reviews it first)" : "(no reply)") : k.reply());
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.identity();
    String who = Recipient.check("--from", from);
    InboundKeyword k = InboundKeyword.classify(body, app.bindings().policy().keywords());
    if (k.flagged()) {
      return flag(app, who, k);
    }
    boolean recorded = false;
    if (k.consentState() != null) {
      AuditTrail.Action action =
          AuditTrail.Action.of("inbound.sms", "consent", AuditTrail.hash(who))
              .with("channel", Channels.SMS)
              .with("keyword", k.keyword())
              .with("state", k.consentState());
      recorded =
          execute.apply(app, "Inbound " + k.keyword() + " from " + who + ": about to record sms consent " + k.consentState(), action, () -> {
            app.store().recordConsent(Channels.SMS, who, k.consentState(), "inbound sms keyword " + k.keyword(), app.clock().instant());
            return true;
          }).isPresent();
    }
    app.render(new InboundView(who, k, recorded, null));
    return 0;
  }

  /** An ambiguous message: kept with its text for a person to review, with an audit row; consent is not changed. */
  private Integer flag(App app, String who, InboundKeyword k) {
    AuditTrail.Action action =
        AuditTrail.Action.of("inbound.sms", "inbound_review", AuditTrail.hash(who))
            .with("channel", Channels.SMS)
            .with("keyword", k.keyword())
            .with("action", "ambiguous")
            .with("flagged", true);
    String summary =
        "Inbound message from " + who + " contains '" + k.keyword() + "' but does not clearly ask to stop: about to flag it for review"
            + " (consent stays as it is)";
    Long id =
        execute.apply(
            app, summary, action,
            () -> InboundReview.of(app.store()).flag(Channels.SMS, who, body, k.keyword(), app.clock().instant(), app.runKey()),
            x -> AuditTrail.outcome("flagged", 0)).orElse(null);
    app.render(new InboundView(who, k, id != null, id));
    return 0;
  }
}
