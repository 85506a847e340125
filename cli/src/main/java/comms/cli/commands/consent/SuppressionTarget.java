package comms.cli.commands.consent;

import comms.cli.commands.send.Recipient;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.operator.AuditTrail;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What a suppression names: one address or number, or a whole email domain. */
public final class SuppressionTarget {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Choice choice;

  /** Exactly one of --address or --domain. */
  static final class Choice {
    @Option(names = "--address", paramLabel = "ADDR", description = "An email address or an E.164 phone number.")
    String address;

    @Option(
        names = "--domain",
        paramLabel = "DOMAIN",
        description = "A whole email domain, e.g. example.com (covers its subdomains). An internationalised domain may be typed either way (bücher.de or xn--bcher-kva.de); it is stored in its xn-- form.")
    String domain;
  }

  /** The store's kind: address, phone or domain. */
  String kind() {
    if (choice.domain != null) {
      return "domain";
    }
    return Recipients.compatible(choice.address).startsWith("+") ? "phone" : "address";
  }

  /** The canonical value, with the spelling a person reads beside it when IDNA made them differ (xn--bcher-kva.de, bücher.de). */
  static String shown(String kind, String value) {
    String domain = kind.equals("domain") ? value : kind.equals("address") ? value.substring(value.lastIndexOf('@') + 1) : null;
    String readable = domain == null ? domain : Recipients.readableDomain(domain);
    return readable == null || readable.equals(domain) ? value : value + " (" + (kind.equals("domain") ? readable : value.substring(0, value.lastIndexOf('@') + 1) + readable) + ")";
  }

  /** The normalized value, refused with a reason when it is not a usable address, number or domain. */
  String value() {
    if (choice.domain != null) {
      // One identity: bücher.de, BÜCHER.DE and xn--bcher-kva.de are one canonical (ASCII) domain.
      String d = Recipients.domain(choice.domain);
      if (!d.matches("([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z][a-z0-9-]*[a-z0-9]")) {
        throw new CommsException(ExitCode.USAGE, "--domain " + choice.domain + " is not a domain such as example.com or bücher.de");
      }
      return d;
    }
    return Recipients.normalize(Recipient.check("--address", choice.address));
  }

  /** The audit action of a suppression change: the value only as a hash, its kind in the clear. */
  static AuditTrail.Action action(String verb, String kind, String value) {
    return AuditTrail.Action.of(verb, "suppression", AuditTrail.hash(value)).with("kind", kind);
  }

  /** How a suppression change ended, for its audit row. */
  static Map<String, Object> outcome(boolean changed) {
    return AuditTrail.outcome(changed ? "applied" : "unchanged", 0);
  }
}
