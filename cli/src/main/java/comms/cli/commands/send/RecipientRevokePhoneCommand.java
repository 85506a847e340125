package comms.cli.commands.send;

import comms.cli.commands.ExecuteOption;
import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.core.imessage.PhoneConsents;
import comms.core.store.RecipientPhones;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms recipient.revoke-phone`: turn a recipient's iMessage consent off and suppress the number for iMessage, with approval. */
@ApprovalGated
@Command(
    name = "recipient.revoke-phone",
    description = {
      "Revoke a recipient's iMessage consent.",
      "Turns phone_consent_for_imessage off for every recipient with the number, adds an iMessage suppression row for it and fails what is still queued for it; the consent history stays. An inbound STOP the daemon sees does the same. Only operators on the iMessage allowlist may.",
      "Without --execute it is a dry run; with it you are asked to type yes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms recipient.revoke-phone --email lee.park@example.com   # exit 2",
      "  echo yes | comms recipient.revoke-phone --email lee.park@example.com \\",
      "      --execute   # exit 2"
    })
public final class RecipientRevokePhoneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--email", required = true, paramLabel = "EMAIL", description = "The recipient whose registered number loses its consent.")
  String email;

  @Mixin ExecuteOption execute;

  @Override
  public Integer call() {
    App app = App.of(spec);
    var who = app.identity();
    PhoneConsents consents = Imessages.consents(app);
    PhoneConsents.Change change = consents.revoke(email, "revoked by " + who.owner() + " (recipient.revoke-phone)");
    var refused = consents.refusal(who);
    if (refused.isPresent()) {
      throw execute.refuse(app, refused.get(), change.action());
    }
    Optional<Map<String, Object>> done = execute.apply(app, change.summary(), change.action(), change.apply(), x -> x);
    String normalized = comms.core.Recipients.normalize(email.strip());
    String phone = RecipientPhones.of(app.store()).find(normalized).map(RecipientPhones.PhoneConsent::phoneE164).orElse(null);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("phone_consent_for_imessage", done.isPresent() ? false : RecipientPhones.of(app.store()).find(normalized).map(RecipientPhones.PhoneConsent::consentForImessage).orElse(false));
    extra.put("suppressed_for_imessage", phone != null && RecipientPhones.of(app.store()).suppressed(phone).isPresent());
    done.ifPresent(m -> {
      extra.put("recipients_revoked", m.get("recipients_revoked"));
      extra.put("queued_cancelled", m.get("queued_cancelled"));
    });
    app.render(new RecipientRegisterPhoneCommand.PhoneView("revoke-phone", normalized, phone, done.isPresent(), extra));
    return 0;
  }
}
