package comms.cli.commands.send;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.send.ControlCharacters;
import comms.core.send.Gate;
import comms.core.send.Preview;
import comms.core.send.Previewer;
import comms.core.send.SmsSegments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `comms send.preview`: render a message and run every policy gate, without sending anything. */
@Command(
    name = "send.preview",
    description = {
      "Preview a message and its gates; send nothing.",
      "Renders a transactional message and runs every policy gate on it. The message type and channel pick the template and provider from the contracts.",
      "Gates: recipient format, consent, suppression, quiet hours (recipient's local time), STOP footer, template residue, header safety (the subject and From are one line, no control characters), SMS length, forbidden patterns; each says pass, fail or warn, and why.",
      "Exit 0 when allowed, 4 when blocked or deferred (then next_allowed_at says when)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms send.preview --channel sms --message-type order_ready \\",
      "      --to +15551234567 --consent-state opted-in \\",
      "      --vars-file examples/vars/order_ready.json",
      "  comms send.preview --channel sms --message-type order_ready \\",
      "      --to +15551234567 --consent-state opted-out \\",
      "      --vars-file examples/vars/order_ready.json --output json   # exit 4"
    })
public final class SendPreviewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SendOptions send;

  /** The preview as JSON/YAML keys (DESIGN.md's stable interface) and as a human report. */
  public record PreviewView(Preview p) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("verdict", p.verdict().name());
      m.put("mode", p.mode());
      m.put("channel", p.channel());
      m.put("message_type", p.messageType());
      m.put("provider", p.provider());
      m.put("template", p.templateId());
      m.put("to", p.to());
      Map<String, Object> rendered = new LinkedHashMap<>();
      rendered.put("subject", p.subject());
      rendered.put("body", p.body());
      if (p.html() != null) {
        rendered.put("html", p.html());
      }
      m.put("rendered", rendered);
      if (p.sms() != null) {
        Map<String, Object> sms = new LinkedHashMap<>();
        sms.put("encoding", p.sms().encoding());
        sms.put("segments", p.sms().segments());
        sms.put("characters", p.sms().characters());
        m.put("sms", sms);
      }
      List<Object> gates = new ArrayList<>();
      for (Gate g : p.gates()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", g.name());
        x.put("result", g.result().name());
        x.put("reason", g.reason());
        gates.add(x);
      }
      m.put("gates", gates);
      if (p.nextAllowedAt() != null) {
        m.put("next_allowed_at", p.nextAllowedAt().toString());
      }
      m.put("undeclared_vars", p.undeclaredVars());
      m.put("body_hash", p.bodyHash());
      return m;
    }

    @Override
    public void table(Table.Printer t) {
      List<String> f = new ArrayList<>();
      f.addAll(List.of("verdict", t.status(p.verdict().name()) + (p.nextAllowedAt() != null ? " until " + p.nextAllowedAt() : "")));
      f.addAll(List.of("mode", p.mode()));
      f.addAll(List.of("route", p.channel() + " / " + p.messageType() + " -> " + p.provider() + " (template " + p.templateId() + ")"));
      f.addAll(List.of("to", p.to()));
      if (p.sms() != null) {
        SmsSegments s = p.sms();
        f.addAll(List.of("sms", s.encoding() + ", " + s.segments() + " segment" + (s.segments() == 1 ? "" : "s") + ", " + s.characters() + " characters"));
      }
      if (!p.undeclaredVars().isEmpty()) {
        f.addAll(List.of("unused vars", String.join(", ", p.undeclaredVars()) + " (the template does not declare them)"));
      }
      t.fields(f.toArray(String[]::new));
      t.blank();
      t.heading("message");
      if (p.subject() != null) {
        // A subject is one line; shown escaped, a line break in it cannot pass for the start of the body.
        t.line("  Subject: " + ControlCharacters.visible(p.subject()));
        t.line("");
      }
      for (String line : p.body().stripTrailing().split("\n", -1)) {
        t.line(line.isEmpty() ? "" : "  " + line);
      }
      t.blank();
      List<List<String>> rows = new ArrayList<>();
      for (Gate g : p.gates()) {
        rows.add(List.of(g.name(), t.status(g.result().name()), g.reason()));
      }
      t.table(List.of("GATE", "RESULT", "REASON"), rows);
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    // The store arrives separately; until it is wired, no recorded consent and no suppressions.
    Preview p = Previewer.from(app.bindings(), app.store()::consentState, app.store()::suppressionMatch).preview(send.request(app));
    app.render(new PreviewView(p));
    report(app, p);
    return p.exitCode().code();
  }

  /** One stderr line per reason a send would not go now, so scripts reading JSON still see why. */
  static void report(App app, Preview p) {
    if (!p.undeclaredVars().isEmpty()) {
      app.err().println("comms: note: template " + p.templateId() + " does not use " + String.join(", ", p.undeclaredVars()));
    }
    switch (p.verdict()) {
      case blocked -> {
        if (app.options().output() == comms.cli.output.Format.table) {
          p.failures().forEach(g -> app.err().println("comms: blocked by " + g.name() + ": " + g.reason()));
        } else {
          // One error object for all the reasons, so stderr stays one JSON line.
          app.why(p.exitCode(), String.join("; ", p.failures().stream().map(g -> "blocked by " + g.name() + ": " + g.reason()).toList()));
        }
      }
      case deferred -> app.why(p.exitCode(), "deferred by quiet hours until " + p.nextAllowedAt());
      case allowed -> {}
    }
    app.err().flush();
  }
}
