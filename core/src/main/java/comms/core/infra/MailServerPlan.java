package comms.core.infra;

import comms.core.contract.Bindings;
import comms.core.contract.InfraTargets;
import comms.core.contract.Source;
import comms.core.contract.StackContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The bootstrap steps of a target's mail server: install, domain, listeners, TLS, DKIM, MTA-STS, then DNS. */
final class MailServerPlan {
  private MailServerPlan() {}

  /** Where a domain's zone file lives, inside the bindings folder. */
  static final String ZONES_DIR = "zones";

  private static final Map<String, String> LISTENER_NOTES =
      Map.of(
          "smtp", "inbound mail from other servers, STARTTLS offered",
          "submission", "client submission, STARTTLS and authentication required",
          "submissions", "client submission over implicit TLS, authentication required",
          "imap", "mailbox access, STARTTLS required",
          "imaps", "mailbox access over implicit TLS",
          "https", "web admin, JMAP and the MTA-STS policy");

  /** Adds the mail server's steps and the DNS steps to {@code plan}; returns the zone file's name, or null when there is none. */
  static String add(PlanBuilder plan, Bindings b, InfraTargets.Target t, InfraTargets.Mail mail) {
    plan.change("install-mail-server", mail.server() + " on " + t.host(), "target " + t.name() + " runs the " + mail.domain() + " mail server", mail.source());
    plan.change("configure-mail-domain", "domain " + mail.domain() + ", server name " + mail.hostname(), "the mail: section of " + t.name(), mail.source());
    for (InfraTargets.Listener l : mail.listeners()) {
      StackContract.Service s = t.service(l.service()).orElseThrow();
      plan.change(
          "configure-listener",
          l.protocol() + " on " + s.port() + "/" + s.protocol() + " (" + LISTENER_NOTES.get(l.protocol()) + ")",
          "listener " + l.protocol() + " uses service " + s.name(),
          l.source());
    }
    plan.change(
        "request-tls-certificate",
        "certificate for " + mail.hostname() + " and mta-sts." + mail.domain(),
        "every listener offers TLS, and MTA-STS needs a valid certificate on both names",
        mail.source());
    plan.change(
        "generate-dkim-key",
        "2048-bit RSA key, selector " + mail.dkimSelector() + " (the private key stays on the server)",
        "outgoing mail is signed; the public key goes into the DKIM record below",
        mail.source());
    plan.change(
        "publish-mta-sts-policy",
        "https://mta-sts." + mail.domain() + "/.well-known/mta-sts.txt: " + mtaStsPolicy(mail).strip().replace("\n", "; "),
        "senders that support MTA-STS require TLS to " + mail.hostname() + " (RFC 8461)",
        mail.source());
    return dns(plan, b, mail);
  }

  private static String dns(PlanBuilder plan, Bindings b, InfraTargets.Mail mail) {
    List<MailDns.Wanted> wanted = MailDns.wanted(mail);
    String name = ZONES_DIR + "/" + mail.domain() + ".zone";
    Path file = b.file(name);
    if (!Files.isRegularFile(file)) {
      for (MailDns.Wanted w : wanted) {
        plan.change("publish-dns-record", w.shown(), w.why() + "; no zone file " + b.displayName(name) + " to check against", mail.source());
      }
      return null;
    }
    String shown = b.displayName(name);
    ZoneFile zone = ZoneFile.read(file, mail.domain(), shown);
    for (MailDns.Finding f : MailDns.check(wanted, zone, mail)) {
      MailDns.Wanted w = f.wanted();
      if (f instanceof MailDns.Present p) {
        plan.keep("keep-dns-record", "nothing: " + w.kind() + " is in the zone", w.why(), p.entry().source());
      } else if (f instanceof MailDns.Wrong x) {
        plan.change("change-dns-record", w.kind() + ": " + w.shown(), "the zone's record " + x.problem() + "; " + w.why(), x.entry().source());
      } else {
        plan.change("add-dns-record", w.kind() + ": " + w.shown(), "the zone has no " + w.kind() + " record; " + w.why(), new Source(shown, 0, 0, ""));
      }
    }
    return shown;
  }

  /** The MTA-STS policy file the server publishes (RFC 8461 §3.2). */
  static String mtaStsPolicy(InfraTargets.Mail mail) {
    return "version: STSv1\nmode: " + mail.mtaStsMode() + "\nmx: " + mail.hostname() + "\nmax_age: 86400\n";
  }

  /** The policy id: derived from the policy text, so it changes exactly when the policy does. */
  static String mtaStsId(InfraTargets.Mail mail) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(mtaStsPolicy(mail).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
