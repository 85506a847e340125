package comms.cli.commands;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.operator.AuditTrail;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What a suppression names: one address or number, or a whole email domain. */
final class SuppressionTarget {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Choice choice;

  /** Exactly one of --address or --domain. */
  static final class Choice {
    @Option(names = "--address", paramLabel = "ADDR", description = "An email address or an E.164 phone number.")
    String address;

    @Option(names = "--domain", paramLabel = "DOMAIN", description = "A whole email domain, e.g. example.com (covers its subdomains).")
    String domain;
  }

  /** The store's kind: address, phone or domain. */
  String kind() {
    if (choice.domain != null) {
      return "domain";
    }
    return choice.address.strip().startsWith("+") ? "phone" : "address";
  }

  /** The normalized value, refused with a reason when it is not a usable address, number or domain. */
  String value() {
    if (choice.domain != null) {
      String d = choice.domain.strip().toLowerCase(java.util.Locale.ROOT);
      if (d.startsWith("@")) {
        d = d.substring(1);
      }
      if (!d.matches("([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z][a-z0-9-]*[a-z0-9]")) {
        throw new CommsException(ExitCode.USAGE, "--domain " + choice.domain + " is not a domain such as example.com");
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
