package comms.core.imessage;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.contract.ImessageRules;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.operator.Permissions;
import comms.core.store.ImessageQueue;
import comms.core.store.RecipientPhones;
import comms.core.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Consent to be texted by iMessage: capturing it (the number, the flag, the moment and the verbatim
 * disclosure the person agreed to), and revoking it (by an operator, or by an inbound STOP the daemon
 * saw), which turns the flag off, adds an iMessage suppression row and fails what is still queued
 * for the number. Audit rows carry the number only as its SHA-256. Commands and agent tools build a
 * {@link Change} here and run it through the one governed change path.
 */
public final class PhoneConsents {
  /** The longest disclosure kept: a consent text, not a document. */
  public static final int MAX_DISCLOSURE = 2000;

  private final Store store;
  private final ImessageRules rules;
  private final Clock clock;

  public PhoneConsents(Store store, ImessageRules rules, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.rules = Objects.requireNonNull(rules);
    this.clock = Objects.requireNonNull(clock);
  }

  /** A change ready to be governed: the audit action, what the person is shown, and the change itself. */
  public record Change(AuditTrail.Action action, String summary, java.util.function.Supplier<Map<String, Object>> apply) {}

  /** Why {@code who} may not capture or revoke iMessage consent (only operators on the allowlist may), if they may not. */
  public Optional<Permissions.Refusal> refusal(Identity who) {
    if (rules.allows(who.owner())) {
      return Optional.empty();
    }
    return Optional.of(
        new Permissions.Refusal(
            "imessage_not_allowlisted",
            who.owner() + " is not on the iMessage allowlist (imessage.operators in the sequences contract), so may not record iMessage consent;"
                + " nothing was changed. Ask an operator who is, or an admin to add you"));
  }

  /** Checks the arguments of a registration (each refusal names its argument, exit 2) and builds the change. */
  public Change register(String emailArg, String phoneArg, String disclosureArg, String consentAtArg, Identity who) {
    String email = email(emailArg);
    String phone = phone(phoneArg);
    String disclosure = disclosureArg == null ? "" : disclosureArg;
    if (disclosure.isBlank()) {
      throw CommsException.usage("--consent-text is empty; give the exact disclosure the recipient agreed to, word for word");
    }
    if (disclosure.length() > MAX_DISCLOSURE) {
      throw CommsException.usage("--consent-text is " + disclosure.length() + " characters; keep the disclosure under " + MAX_DISCLOSURE);
    }
    Instant at;
    try {
      at = Instant.parse(consentAtArg == null ? "" : consentAtArg.strip());
    } catch (DateTimeParseException e) {
      throw CommsException.usage("--consent-at '" + consentAtArg + "' is not an ISO-8601 instant such as 2026-11-20T15:04:00Z (when the recipient agreed)");
    }
    if (at.isAfter(clock.instant())) {
      throw CommsException.usage("--consent-at " + at + " is in the future (now is " + clock.instant() + "); give the moment the recipient agreed");
    }
    Optional<String> suppressed = RecipientPhones.of(store).suppressed(phone);
    if (suppressed.isPresent()) {
      throw new CommsException(
          ExitCode.POLICY,
          "the number is suppressed for iMessage (" + suppressed.get() + "); a person who said STOP is not registered again here; nothing was changed");
    }
    AuditTrail.Action action =
        AuditTrail.Action.of("recipient.register-phone", "recipient", AuditTrail.hash(email))
            .with("phone_sha256", AuditTrail.hash(phone))
            .with("consent_at", at.toString())
            .with("disclosure_sha256", AuditTrail.hash(disclosure));
    String summary =
        "About to record iMessage consent:\n  recipient:  " + email + "\n  phone:      " + phone + "\n  consent at: " + at + "\n  disclosure: " + disclosure;
    return new Change(action, summary, () -> {
      RecipientPhones.of(store).register(email, phone, at, disclosure, who.owner(), clock.instant());
      return AuditTrail.outcome("applied", 0);
    });
  }

  /** Builds the revocation of {@code email}'s registered number (refused, exit 2, when none is registered). */
  public Change revoke(String emailArg, String source) {
    String email = email(emailArg);
    RecipientPhones.PhoneConsent p =
        RecipientPhones.of(store).find(email)
            .orElseThrow(() -> CommsException.usage("--email " + email + " has no registered phone; nothing to revoke (recipient.register-phone records one)"));
    return revocation(p.phoneE164(), source, "recipient.revoke-phone", "About to revoke iMessage consent:\n  recipient: " + email + "\n  phone:     " + p.phoneE164());
  }

  /** Builds the revocation of a number an inbound opt-out came from (the daemon saw STOP). */
  public Change revokeNumber(String phone, String source) {
    return revocation(phone, source, "imessage.inbound", "Inbound opt-out from " + phone);
  }

  private Change revocation(String phone, String source, String verb, String summary) {
    AuditTrail.Action action = AuditTrail.Action.of(verb, "recipient_phone", AuditTrail.hash(phone)).with("phone_sha256", AuditTrail.hash(phone));
    return new Change(action, summary, () -> {
      Instant now = clock.instant();
      int flipped = RecipientPhones.of(store).revoke(phone, source, now);
      int cancelled = ImessageQueue.of(store).cancelPending(phone, "consent_revoked", now);
      Map<String, Object> m = new LinkedHashMap<>(AuditTrail.outcome("applied", 0));
      m.put("recipients_revoked", flipped);
      m.put("queued_cancelled", cancelled);
      return m;
    });
  }

  static String email(String arg) {
    String e = arg == null ? "" : Recipients.normalize(arg.strip());
    if (e == null || !Recipients.isEmail(e)) {
      throw CommsException.usage("--email '" + arg + "' is not an email address such as lee.park@example.com (the recipient the number belongs to)");
    }
    return e;
  }

  static String phone(String arg) {
    String p = arg == null ? "" : arg.strip();
    if (!Prerequisites.E164.matcher(p).matches()) {
      throw CommsException.usage("--phone '" + arg + "' is not an E.164 number; write it as + country code and number without spaces, such as +15551234567");
    }
    return p;
  }
}
