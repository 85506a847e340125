package comms.cli.commands.consent;

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

  /** The target, read and normalized once (ListChanges), refused with a reason naming --address or --domain. */
  ListChanges.Target target() {
    return ListChanges.target(choice.address, "--address", choice.domain, "--domain");
  }

  /** The canonical value, with the spelling a person reads beside it when IDNA made them differ (xn--bcher-kva.de, bücher.de). */
  static String shown(String kind, String value) {
    String domain = kind.equals("domain") ? value : kind.equals("address") ? value.substring(value.lastIndexOf('@') + 1) : null;
    String readable = domain == null ? domain : Recipients.readableDomain(domain);
    return readable == null || readable.equals(domain) ? value : value + " (" + (kind.equals("domain") ? readable : value.substring(0, value.lastIndexOf('@') + 1) + readable) + ")";
  }

  /** How a suppression change ended, for its audit row. */
  static Map<String, Object> outcome(boolean changed) {
    return AuditTrail.outcome(changed ? "applied" : "unchanged", 0);
  }
}
