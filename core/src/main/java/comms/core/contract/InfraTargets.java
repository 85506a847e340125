package comms.core.contract;

import java.util.List;
import java.util.Optional;

/** infra.targets.yaml: the deploy inventory; the stack contract must agree with its entry here. */
public record InfraTargets(Source source, List<Target> targets) {
  public static final String FILE = "infra.targets.yaml";

  public InfraTargets {
    targets = List.copyOf(targets);
  }

  /** One deploy target (a VM). */
  public record Target(Source source, String name, int vmId, String profile, String host, List<StackContract.Service> services) {
    public Target {
      services = List.copyOf(services);
    }
  }

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
    Target t =
        new Target(
            m.source(),
            m.string("name"),
            m.integer("vm_id"),
            m.string("profile"),
            m.string("host"),
            // The same service rules as the stack contract's (port 1-65535), so both sides agree.
            m.list("services", StackContract::service));
    m.end();
    return t;
  }
}
