package comms.core.contract;

import java.util.List;
import java.util.Optional;

/** communications.capabilities.yaml: every capability with its safety class and approval mode. */
public record CapabilityRegistry(Source source, List<Capability> capabilities) {
  public static final String FILE = "communications.capabilities.yaml";
  public static final String PREFIX = "communications.";
  /**
   * The spine's infra domain: {@code infra.<name>} capabilities keep their full name as their command
   * ({@code comms infra.vm.provision}), as the spine's own runbooks call them.
   */
  public static final String INFRA_PREFIX = "infra.";

  public CapabilityRegistry {
    capabilities = List.copyOf(capabilities);
  }

  /** One capability: {@code communications.<command>}, or {@code infra.<name>} whose command is its name. */
  public record Capability(Source source, String name, String command, String safety, String approval, String description) {
    public boolean mutating() {
      return "mutating".equals(safety);
    }
  }

  public Optional<Capability> byName(String name) {
    return capabilities.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public Optional<Capability> byCommand(String command) {
    return capabilities.stream().filter(c -> c.command().equals(command)).findFirst();
  }

  /** The command a registered name runs: {@code communications.X} runs X, {@code infra.X} runs infra.X. */
  public static String commandOf(String name) {
    return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
  }

  /** The registered name of a command: the inverse of {@link #commandOf}. */
  public static String nameOf(String command) {
    return command.startsWith(INFRA_PREFIX) ? command : PREFIX + command;
  }

  public static CapabilityRegistry from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    List<Capability> caps = m.list("capabilities", CapabilityRegistry::capability);
    m.end();
    return new CapabilityRegistry(root.source(), caps);
  }

  private static Capability capability(YamlValue v) {
    YamlMap m = v.asMap();
    YamlValue nameNode = m.get("name");
    String name = m.string("name");
    if (!name.startsWith(PREFIX) && !name.startsWith(INFRA_PREFIX)) {
      throw nameNode.error("capability '" + name + "' must start with '" + PREFIX + "' (or '" + INFRA_PREFIX + "' for the infra domain)");
    }
    String safety = m.oneOf("safety", List.of("read-only", "mutating"));
    String approval = m.oneOf("approval", List.of("none", "manual", "launched"));
    if (safety.equals("mutating") && approval.equals("none")) {
      throw m.get("approval").error("a mutating capability needs approval: manual");
    }
    Capability c =
        new Capability(m.source(), name, commandOf(name), safety, approval, m.string("description"));
    m.end();
    return c;
  }
}
