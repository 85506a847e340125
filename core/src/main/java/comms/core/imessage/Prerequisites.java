package comms.core.imessage;

import comms.core.store.RecipientPhones;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The four things a recipient must have before an iMessage may be queued for them (outbound contract
 * §11): an E.164 number, the consent flag, the consent time and the verbatim disclosure they agreed
 * to; and no iMessage suppression on the number. The worker enforces them server-side, so a
 * recipient missing any never reaches the daemon.
 */
public final class Prerequisites {
  /** An E.164 number: '+', a country code that does not start with 0, at most 15 digits in all. */
  public static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  private Prerequisites() {}

  /** Why {@code p} may not get an iMessage (a stable reason code), or empty when all four are there. */
  public static Optional<String> missing(Optional<RecipientPhones.PhoneConsent> p, RecipientPhones phones) {
    if (p.isEmpty() || p.get().phoneE164() == null || !E164.matcher(p.get().phoneE164()).matches()) {
      return Optional.of("imessage_prerequisite:phone_e164");
    }
    RecipientPhones.PhoneConsent c = p.get();
    if (!c.consentForImessage()) {
      return Optional.of("imessage_prerequisite:phone_consent_for_imessage");
    }
    if (c.consentAt() == null) {
      return Optional.of("imessage_prerequisite:phone_consent_at");
    }
    if (c.disclosureText() == null || c.disclosureText().isBlank()) {
      return Optional.of("imessage_prerequisite:phone_consent_disclosure_text");
    }
    if (phones.suppressed(c.phoneE164()).isPresent()) {
      return Optional.of("suppressed:imessage");
    }
    return Optional.empty();
  }
}
