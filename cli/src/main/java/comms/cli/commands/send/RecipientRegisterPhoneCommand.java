package comms.cli.commands.send;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.imessage.PhoneConsents;
import comms.core.operator.AuditTrail;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms recipient.register-phone`: record a recipient's number and their consent to iMessages, with approval. */
@ApprovalGated
@Command(
    name = "recipient.register-phone",
    description = {
      "Record a recipient's phone and iMessage consent.",
      "Stores the E.164 number for the recipient's email with phone_consent_for_imessage on, the moment they agreed and the disclosure they agreed to, word for word: the four things an iMessage stage needs. Only operators on the iMessage allowlist (imessage.operators in the sequences contract) may. The audit row holds the number's SHA-256, never the number.",
      "Without --execute it is a dry run; with it you are asked to type yes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms recipient.register-phone --email lee.park@example.com \\",
      "      --phone +15551234567 --consent-at 2026-11-02T15:04:00Z \\",
      "      --consent-text \"Yes, iMessage me. Reply STOP to end.\"",
      "  echo yes | comms recipient.register-phone --email lee.park@example.com \\",
      "      --phone +15551234567 --consent-at 2026-11-02T15:04:00Z \\",
      "      --consent-text \"Yes, iMessage me. Reply STOP to end.\" --execute"
    })
public final class RecipientRegisterPhoneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The recipient (as enrolled in sequences) the number belongs to.")
  String email;

  @Option(names = "--phone", required = true, paramLabel = "+E164", description = "Their number in E.164, such as +15551234567.")
  String phone;

  @Option(names = "--consent-text", required = true, paramLabel = "TEXT", description = "The disclosure they agreed to, verbatim.")
  String consentText;

  @Option(names = "--consent-at", required = true, paramLabel = "INSTANT", description = "When they agreed (ISO-8601, such as 2026-11-02T15:04:00Z).")
  String consentAt;

  @Mixin ExecuteOption execute;

  /** A phone-consent change as shown: the recipient, the number only by its hash and last two digits. */
  record PhoneView(String action, String email, String phone, boolean applied, Map<String, Object> extra) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("action", action);
      m.put("email", email);
      m.put("phone_sha256", phone == null ? null : AuditTrail.hash(phone));
      m.put("phone_ends_with", phone == null ? null : phone.substring(Math.max(0, phone.length() - 2)));
      m.put("applied", applied);
      m.putAll(extra);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.fields("action", action, "recipient", email, "phone", phone == null ? "-" : "…" + phone.substring(Math.max(0, phone.length() - 2)),
          "applied", applied ? "yes" : "no (dry run)");
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    var who = app.identity();
    PhoneConsents consents = Imessages.consents(app);
    PhoneConsents.Change change = consents.register(email, phone, consentText, consentAt, who);
    var refused = consents.refusal(who);
    if (refused.isPresent()) {
      throw execute.refuse(app, refused.get(), change.action());
    }
    boolean applied = execute.apply(app, change.summary(), change.action(), change.apply(), x -> x).isPresent();
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("phone_consent_for_imessage", applied);
    extra.put("phone_consent_at", java.time.Instant.parse(consentAt.strip()).toString());
    app.render(new PhoneView("register-phone", comms.core.Recipients.normalize(email.strip()), phone.strip(), applied, extra));
    return 0;
  }
}
