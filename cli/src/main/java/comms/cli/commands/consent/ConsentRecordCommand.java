package comms.cli.commands.consent;

import comms.cli.commands.CompletionValues;
import comms.cli.commands.ExecuteOption;
import comms.cli.commands.send.Recipient;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import comms.core.operator.AuditTrail;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms consent.record`: record a recipient's consent, with manual approval. */
@ApprovalGated
@Command(
    name = "consent.record",
    description = {
      "Record a recipient's consent, with approval.",
      "The store keeps the history; the latest record wins. A recorded opted-out blocks every later send to the recipient, whatever --consent-state a sender claims.",
      "Without --execute it is a dry run; with it you are asked to type yes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms consent.record --to +15551234567 --state opted-out --source STOP",
      "  echo yes | comms consent.record --to +15551234567 --state opted-in \\",
      "      --source \"signup form\" --execute"
    })
public final class ConsentRecordCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--to", required = true, paramLabel = "RECIPIENT", description = "An E.164 number (SMS) or an email address.")
  String to;

  @Option(names = "--state", required = true, paramLabel = "STATE", completionCandidates = CompletionValues.RecordedConsent.class, description = "opted-in or opted-out.")
  String state;

  @Option(names = "--source", required = true, paramLabel = "TEXT", description = "Where the consent came from, e.g. 'web form 2026-11-02' or 'phone call'.")
  String source;

  @Option(names = "--channel", paramLabel = "CHANNEL", completionCandidates = CompletionValues.ChannelNames.class, description = "sms or email (default: sms for +numbers, email for addresses).")
  String channel;

  @Mixin ExecuteOption execute;

  record ConsentView(String channel, String to, String state, String source, boolean recorded) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("channel", channel);
      m.put("to", to);
      m.put("state", state);
      m.put("source", source);
      m.put("recorded", recorded);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.fields("channel", channel, "recipient", to, "state", state, "source", source, "recorded", recorded ? "yes" : "no (dry run)");
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    app.identity();
    if (!List.of("opted-in", "opted-out").contains(state)) {
      throw new CommsException(ExitCode.USAGE, "--state '" + state + "' must be opted-in or opted-out");
    }
    String ch = channel == null ? Recipient.channelOf(to) : channel;
    if (!List.of("sms", "email").contains(ch)) {
      throw new CommsException(ExitCode.USAGE, "--channel '" + ch + "' must be sms or email");
    }
    String who = Recipient.check("--to", to);
    if (source.isBlank()) {
      throw new CommsException(ExitCode.USAGE, "--source is empty; say where the consent came from");
    }
    AuditTrail.Action action = AuditTrail.Action.of("consent.record", "consent", AuditTrail.hash(who)).with("channel", ch).with("state", state);
    String summary = "About to record consent:\n  channel:   " + ch + "\n  recipient: " + who + "\n  state:     " + state + "\n  source:    " + source;
    boolean applied = execute.apply(app, summary, action, () -> {
      app.store().recordConsent(ch, who, state, source, app.clock().instant());
      return true;
    }).isPresent();
    app.render(new ConsentView(ch, who, state, source, applied));
    return 0;
  }
}
