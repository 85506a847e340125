package comms.core.contract;

import java.util.List;
import java.util.Optional;

/** infra.targets.yaml: the deploy inventory; the stack contract must agree with its entry here. */
public record InfraTargets(Source source, List<Target> targets) {
  public static final String FILE = "infra.targets.yaml";

  /** What a mail listener speaks; each maps to one of the target's services (and so to its port). */
  public static final List<String> LISTENER_PROTOCOLS = List.of("smtp", "submission", "submissions", "imap", "imaps", "https");

  public InfraTargets {
    targets = List.copyOf(targets);
  }

  /**
   * One deploy target (a VM). {@code serviceSources} holds where each of {@code services} is written,
   * in the same order, so a plan can point at the line of the service it refuses.
   */
  public record Target(
      Source source,
      String name,
      int vmId,
      Source vmIdSource,
      String profile,
      Source profileSource,
      String host,
      List<StackContract.Service> services,
      List<Source> serviceSources,
      Optional<Mail> mail) {
    public Target {
      services = List.copyOf(services);
      serviceSources = List.copyOf(serviceSources);
    }

    /** The service of that name, if the target exposes one. */
    public Optional<StackContract.Service> service(String name) {
      return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }
  }

  /** The mail server a target runs: its domain, host name, listeners and the DNS policy it publishes. */
  public record Mail(
      Source source,
      String server,
      String domain,
      String hostname,
      List<Listener> listeners,
      String dkimSelector,
      String dmarcReports,
      String tlsReports,
      String mtaStsMode) {
    public Mail {
      listeners = List.copyOf(listeners);
    }
  }

  /** One mail server listener: the protocol, and the target service whose port it listens on. */
  public record Listener(Source source, String protocol, String service) {}

  public Optional<Target> target(String name) {
    return targets.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public static InfraTargets from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    List<Target> targets = m.list("targets", InfraTargets::target);
    m.end();
    return new InfraTargets(root.source(), targets);
  }

  private static Target target(YamlValue v) {
    YamlMap m = v.asMap();
    YamlValue services = m.get("services");
    Target t =
        new Target(
            m.source(),
            m.string("name"),
            m.integer("vm_id"),
            m.get("vm_id").source(),
            m.string("profile"),
            m.get("profile").source(),
            m.string("host"),
            // The same service rules as the stack contract's (port 1-65535), so both sides agree.
            services.asList(StackContract::service),
            services.asList(YamlValue::source),
            m.opt("mail").map(InfraTargets::mail));
    m.end();
    return t;
  }

  // The same rules as infra.targets.schema.json's hostname, email and dkim_selector patterns.
  private static final java.util.regex.Pattern HOSTNAME =
      java.util.regex.Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$");
  private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  private static final java.util.regex.Pattern SELECTOR = java.util.regex.Pattern.compile("^[A-Za-z0-9][A-Za-z0-9-]*$");

  private static String matching(YamlMap m, String key, java.util.regex.Pattern p, String what) {
    String s = m.string(key);
    if (!p.matcher(s).matches()) {
      throw m.get(key).error("'" + key + "' is '" + s + "', which is not " + what);
    }
    return s;
  }

  private static Mail mail(YamlValue v) {
    YamlMap m = v.asMap();
    Mail mail =
        new Mail(
            m.source(),
            m.oneOf("server", List.of("stalwart")),
            matching(m, "domain", HOSTNAME, "a DNS name such as example.com (no final dot)"),
            matching(m, "hostname", HOSTNAME, "a DNS name such as mail.example.com (no final dot)"),
            m.list("listeners", InfraTargets::listener),
            matching(m, "dkim_selector", SELECTOR, "a DKIM selector (letters, digits and hyphens)"),
            matching(m, "dmarc_reports", EMAIL, "an email address"),
            matching(m, "tls_reports", EMAIL, "an email address"),
            m.oneOf("mta_sts_mode", List.of("testing", "enforce", "none"), "testing"));
    m.end();
    return mail;
  }

  private static Listener listener(YamlValue v) {
    YamlMap m = v.asMap();
    Listener l = new Listener(m.source(), m.oneOf("protocol", LISTENER_PROTOCOLS), m.string("service"));
    m.end();
    return l;
  }
}
