package comms.core.infra;

import comms.core.contract.InfraTargets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DNS records a mail domain needs for the pilot (MX, SPF, DKIM, DMARC at p=none, MTA-STS, TLS-RPT,
 * and addresses for the names they point at), and how each compares with a zone file. Only the zone
 * file is read: no DNS query is ever sent.
 */
public final class MailDns {
  private MailDns() {}

  /** The pilot's DMARC policy: reports only, nothing rejected (enforcement is out of scope). */
  public static final String PILOT_DMARC_POLICY = "none";

  /** One record the domain needs: what it is, where, its type, the value to publish and why. */
  public record Wanted(String kind, String owner, String type, String value, String why) {
    public String shown() {
      return owner + " " + type + " " + value;
    }
  }

  /** How the zone file answers one wanted record. */
  public sealed interface Finding {
    Wanted wanted();
  }

  /** The zone has it as needed. */
  public record Present(Wanted wanted, ZoneFile.Entry entry) implements Finding {}

  /** The zone has nothing for it. */
  public record Missing(Wanted wanted) implements Finding {}

  /** The zone has a record there that is not right, and what is wrong with it. */
  public record Wrong(Wanted wanted, ZoneFile.Entry entry, String problem) implements Finding {}

  /** The records {@code mail}'s domain needs, in the order a plan lists them. */
  public static List<Wanted> wanted(InfraTargets.Mail mail) {
    String d = mail.domain().toLowerCase(Locale.ROOT);
    String host = mail.hostname().toLowerCase(Locale.ROOT);
    List<Wanted> w = new ArrayList<>();
    w.add(new Wanted("MX", d, "MX", "10 " + host + ".", "mail for " + d + " is delivered to " + host));
    w.add(new Wanted("mail host address", host, "A", "<public address of " + host + ">", "the MX target must resolve to the server"));
    w.add(new Wanted("SPF", d, "TXT", "\"v=spf1 mx ~all\"", "receivers accept mail from the MX host as sent for " + d + " (RFC 7208)"));
    w.add(new Wanted(
        "DKIM",
        mail.dkimSelector().toLowerCase(Locale.ROOT) + "._domainkey." + d,
        "TXT",
        "\"v=DKIM1; k=rsa; p=<public key from generate-dkim-key>\"",
        "receivers verify the server's signatures with selector " + mail.dkimSelector() + " (RFC 6376)"));
    w.add(new Wanted(
        "DMARC",
        "_dmarc." + d,
        "TXT",
        "\"v=DMARC1; p=" + PILOT_DMARC_POLICY + "; rua=mailto:" + mail.dmarcReports() + "\"",
        "pilot policy p=none: aggregate reports to " + mail.dmarcReports() + ", nothing rejected (RFC 7489)"));
    w.add(new Wanted(
        "MTA-STS",
        "_mta-sts." + d,
        "TXT",
        "\"v=STSv1; id=" + MailServerPlan.mtaStsId(mail) + "\"",
        "senders fetch the MTA-STS policy (mode " + mail.mtaStsMode() + ") and require TLS to " + host + " (RFC 8461)"));
    w.add(new Wanted("MTA-STS policy host", "mta-sts." + d, "A", "<public address of " + host + ">",
        "the policy is served at https://mta-sts." + d + "/.well-known/mta-sts.txt"));
    w.add(new Wanted(
        "TLS-RPT",
        "_smtp._tls." + d,
        "TXT",
        "\"v=TLSRPTv1; rua=mailto:" + mail.tlsReports() + "\"",
        "senders report TLS failures to " + mail.tlsReports() + " (RFC 8460)"));
    return List.copyOf(w);
  }

  /** Compares each wanted record with the zone. */
  public static List<Finding> check(List<Wanted> wanted, ZoneFile zone, InfraTargets.Mail mail) {
    List<Finding> out = new ArrayList<>();
    for (Wanted w : wanted) {
      out.add(check(w, zone, mail));
    }
    return List.copyOf(out);
  }

  static Finding check(Wanted w, ZoneFile zone, InfraTargets.Mail mail) {
    switch (w.kind()) {
      case "MX":
        return mx(w, zone, mail.hostname().toLowerCase(Locale.ROOT));
      case "mail host address":
      case "MTA-STS policy host":
        return address(w, zone);
      case "SPF":
        return spf(w, zone, mail);
      case "DKIM":
        return tagged(w, zone, "v=DKIM1", e -> {
          String p = tag(e.data(), "p").orElse("");
          return p.isEmpty() ? "its p= is empty, which revokes the key; publish the key generate-dkim-key makes" : null;
        });
      case "DMARC":
        return tagged(w, zone, "v=DMARC1", e -> {
          String p = tag(e.data(), "p").orElse("");
          if (!p.equalsIgnoreCase(PILOT_DMARC_POLICY)) {
            return "its policy is p=" + (p.isEmpty() ? "(none given)" : p) + "; the pilot publishes p=" + PILOT_DMARC_POLICY
                + " (enforcement is out of scope until the pilot's reports are clean)";
          }
          return reportsTo(e, mail.dmarcReports());
        });
      case "MTA-STS":
        return tagged(w, zone, "v=STSv1", e -> tag(e.data(), "id").filter(id -> !id.isEmpty()).isEmpty()
            ? "it has no id=; senders need the id to notice a policy change" : null);
      case "TLS-RPT":
        return tagged(w, zone, "v=TLSRPTv1", e -> reportsTo(e, mail.tlsReports()));
      default:
        throw new IllegalArgumentException(w.kind());
    }
  }

  private static Finding mx(Wanted w, ZoneFile zone, String host) {
    List<ZoneFile.Entry> mx = zone.at(w.owner(), "MX");
    if (mx.isEmpty()) {
      return new Missing(w);
    }
    for (ZoneFile.Entry e : mx) {
      if (host.equals(e.target())) {
        return new Present(w, e);
      }
    }
    ZoneFile.Entry first = mx.get(0);
    return new Wrong(w, first, "it points at " + first.target() + ", not " + host);
  }

  private static Finding address(Wanted w, ZoneFile zone) {
    for (String type : List.of("A", "AAAA", "CNAME")) {
      List<ZoneFile.Entry> found = zone.at(w.owner(), type);
      if (!found.isEmpty()) {
        return new Present(w, found.get(0));
      }
    }
    return new Missing(w);
  }

  private static Finding spf(Wanted w, ZoneFile zone, InfraTargets.Mail mail) {
    List<ZoneFile.Entry> spf = zone.at(w.owner(), "TXT").stream().filter(e -> startsWith(e.data(), "v=spf1")).toList();
    if (spf.isEmpty()) {
      return new Missing(w);
    }
    ZoneFile.Entry e = spf.get(0);
    if (spf.size() > 1) {
      return new Wrong(w, spf.get(1), "it is a second SPF record (the first at line " + e.source().line()
          + "); receivers treat two as an error (RFC 7208 §4.5), so merge them");
    }
    String host = mail.hostname().toLowerCase(Locale.ROOT);
    for (String term : e.data().toLowerCase(Locale.ROOT).split("\\s+")) {
      String t = term.replaceFirst("^[+]", "");
      if (t.equals("mx") || t.equals("mx:" + mail.domain().toLowerCase(Locale.ROOT)) || t.equals("a:" + host)) {
        return new Present(w, e);
      }
    }
    return new Wrong(w, e, "it does not authorize the MX host; make it \"" + e.data().replaceFirst("(?i)^v=spf1", "v=spf1 mx") + "\"");
  }

  /** A tag-list record (DKIM, DMARC, MTA-STS, TLS-RPT): found by its version tag, then checked by {@code problem}. */
  private static Finding tagged(Wanted w, ZoneFile zone, String version, java.util.function.Function<ZoneFile.Entry, String> problem) {
    List<ZoneFile.Entry> txt = zone.at(w.owner(), "TXT");
    if (txt.isEmpty()) {
      return new Missing(w);
    }
    List<ZoneFile.Entry> ours = txt.stream().filter(e -> startsWith(e.data(), version)).toList();
    if (ours.isEmpty()) {
      return new Wrong(w, txt.get(0), "it does not start with " + version);
    }
    if (ours.size() > 1) {
      return new Wrong(w, ours.get(1), "it is a second " + w.kind() + " record; publish exactly one");
    }
    String why = problem.apply(ours.get(0));
    return why == null ? new Present(w, ours.get(0)) : new Wrong(w, ours.get(0), why);
  }

  private static String reportsTo(ZoneFile.Entry e, String address) {
    String rua = tag(e.data(), "rua").orElse("");
    for (String uri : rua.split(",")) {
      if (uri.strip().equalsIgnoreCase("mailto:" + address)) {
        return null;
      }
    }
    return "its reports go to " + (rua.isEmpty() ? "nobody (no rua=)" : rua) + ", not mailto:" + address;
  }

  private static boolean startsWith(String data, String version) {
    String d = data.strip();
    return d.regionMatches(true, 0, version, 0, version.length())
        && (d.length() == version.length() || d.charAt(version.length()) == ';' || Character.isWhitespace(d.charAt(version.length())));
  }

  /** The value of tag {@code name} in a "k=v; k=v" record, if present. */
  static Optional<String> tag(String data, String name) {
    for (String part : data.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).strip().equalsIgnoreCase(name)) {
        return Optional.of(part.substring(eq + 1).strip());
      }
    }
    return Optional.empty();
  }
}
