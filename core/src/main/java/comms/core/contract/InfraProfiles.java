package comms.core.contract;

import java.util.List;
import java.util.Optional;

/** infra.profiles.yaml: the VM profiles a target is provisioned from (size, image, packages, users, firewall, services). */
public record InfraProfiles(Source source, List<Profile> profiles) {
  public static final String FILE = "infra.profiles.yaml";

  public InfraProfiles {
    profiles = List.copyOf(profiles);
  }

  /** One VM profile, e.g. spine-ready-v1. */
  public record Profile(
      Source source,
      String name,
      String description,
      int cpu,
      int memoryMb,
      int diskGb,
      String osImage,
      List<String> packages,
      List<User> users,
      Firewall firewall,
      List<Service> services) {
    public Profile {
      packages = List.copyOf(packages);
      users = List.copyOf(users);
      services = List.copyOf(services);
    }
  }

  /** A local account the profile creates; {@code system} accounts have no login. */
  public record User(Source source, String name, List<String> groups, boolean system) {
    public User {
      groups = List.copyOf(groups);
    }
  }

  /** The inbound firewall: the default for unlisted ports, and the ports it lets in. */
  public record Firewall(Source source, String defaultInbound, List<Rule> allow) {
    public Firewall {
      allow = List.copyOf(allow);
    }

    /** The rule that lets {@code port}/{@code protocol} in, if any. */
    public Optional<Rule> allowing(int port, String protocol) {
      return allow.stream().filter(r -> r.port() == port && r.protocol().equals(protocol)).findFirst();
    }

    /** Whether a packet to {@code port}/{@code protocol} gets in. */
    public boolean opens(int port, String protocol) {
      return defaultInbound.equals("allow") || allowing(port, protocol).isPresent();
    }
  }

  /** One port the firewall lets in, from {@code from} (a CIDR block, or "any"). */
  public record Rule(Source source, int port, String protocol, String from) {}

  /** A systemd unit the profile enables; {@code port} is 0 for one that listens on nothing from outside. */
  public record Service(Source source, String name, String unit, int port, String protocol) {
    public boolean listens() {
      return port > 0;
    }
  }

  public Optional<Profile> profile(String name) {
    return profiles.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public static InfraProfiles from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    List<Profile> profiles = m.list("profiles", InfraProfiles::profile);
    m.end();
    return new InfraProfiles(root.source(), profiles);
  }

  private static Profile profile(YamlValue v) {
    YamlMap m = v.asMap();
    Profile p =
        new Profile(
            m.source(),
            m.string("name"),
            m.string("description"),
            positive(m, "cpu"),
            positive(m, "memory_mb"),
            positive(m, "disk_gb"),
            m.string("os_image"),
            m.strings("packages"),
            m.list("users", InfraProfiles::user),
            firewall(m.get("firewall")),
            m.list("services", InfraProfiles::service));
    m.end();
    return p;
  }

  private static int positive(YamlMap m, String key) {
    int n = m.integer(key);
    if (n < 1) {
      throw m.get(key).error("'" + key + "' is " + n + "; it must be at least 1");
    }
    return n;
  }

  private static User user(YamlValue v) {
    YamlMap m = v.asMap();
    String name = m.string("name");
    if (!name.matches("[a-z_][a-z0-9_-]*")) {
      throw m.get("name").error("user name '" + name + "' is not a Linux user name (lower-case letters, digits, _ and -, not starting with a digit)");
    }
    User u = new User(m.source(), name, m.strings("groups", List.of()), m.bool("system", false));
    m.end();
    return u;
  }

  private static Firewall firewall(YamlValue v) {
    YamlMap m = v.asMap();
    Firewall f = new Firewall(m.source(), m.oneOf("default_inbound", List.of("deny", "allow")), m.list("allow", InfraProfiles::rule));
    m.end();
    return f;
  }

  private static Rule rule(YamlValue v) {
    YamlMap m = v.asMap();
    Rule r = new Rule(m.source(), port(m), m.oneOf("protocol", List.of("tcp", "udp"), "tcp"), m.string("from", "any"));
    m.end();
    return r;
  }

  private static Service service(YamlValue v) {
    YamlMap m = v.asMap();
    int port = m.has("port") ? port(m) : 0;
    String unit = m.string("unit");
    if (!unit.matches(".*\\.(service|socket|timer)")) {
      throw m.get("unit").error("unit '" + unit + "' is not a systemd unit name; end it in .service, .socket or .timer");
    }
    Service s = new Service(m.source(), m.string("name"), unit, port, m.oneOf("protocol", List.of("tcp", "udp"), "tcp"));
    m.end();
    return s;
  }

  private static int port(YamlMap m) {
    int port = m.integer("port");
    if (port < 1 || port > 65535) {
      throw m.get("port").error("port " + port + " is outside 1-65535");
    }
    return port;
  }
}
