package comms.core.infra;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.contract.ContractException;
import comms.core.contract.InfraProfiles;
import comms.core.contract.InfraTargets;
import comms.core.contract.Source;
import comms.core.contract.StackContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans infra.vm.provision and infra.vm.bootstrap for a target from infra.targets.yaml and its profile
 * in infra.profiles.yaml. Planning only: nothing here touches a VM, a firewall or DNS. A target and
 * profile that disagree (VM id, profile name, a port the firewall closes, a listener whose service has
 * no port) are refused with the line to fix, exit 3.
 */
public final class InfraPlanner {
  private InfraPlanner() {}

  /** The sentence every run without --dry-run is refused with. */
  public static final String OUT_OF_SCOPE =
      "production provisioning is out of scope in this version: only dry runs are allowed, and nothing is changed on any VM or DNS zone; "
          + "add --dry-run to see the plan";

  public static final String PROVISION = "infra.vm.provision";
  public static final String BOOTSTRAP = "infra.vm.bootstrap";

  /** What the operator asked for: the target, the profile they expect it to use, and its VM id. */
  public record Request(String target, String profile, int vmId) {}

  /** A target and its profile, checked to agree with each other and with the request. */
  record Checked(InfraTargets.Target target, InfraProfiles.Profile profile) {}

  /** The provisioning plan: the VM, its host name, packages, users, firewall and services. */
  public static InfraPlan provision(Bindings b, Request r) {
    Checked c = check(b, r);
    InfraTargets.Target t = c.target();
    InfraProfiles.Profile p = c.profile();
    PlanBuilder plan = new PlanBuilder();
    plan.change(
        "create-vm",
        "VM " + t.vmId() + ": " + p.cpu() + " vCPU, " + p.memoryMb() + " MiB memory, " + p.diskGb() + " GiB disk, image " + p.osImage(),
        "target " + t.name() + " is VM " + t.vmId() + " (" + t.vmIdSource().where() + ") sized by profile " + p.name(),
        p.source());
    plan.change("set-hostname", t.host(), "the inventory's host for " + t.name(), t.source());
    plan.change("install-packages", String.join(", ", p.packages()), "profile " + p.name() + "'s packages", p.source());
    for (InfraProfiles.User u : p.users()) {
      String change = u.system()
          ? "system user " + u.name() + " (no login)"
          : "user " + u.name() + (u.groups().isEmpty() ? "" : " in " + String.join(", ", u.groups())) + " (SSH key login only)";
      plan.change("create-user", change, "profile " + p.name() + "'s users", u.source());
    }
    plan.change("configure-firewall", firewall(t, p), "only the ports the target's services and the profile's services listen on", p.firewall().source());
    for (InfraProfiles.Service s : p.services()) {
      plan.change(
          "enable-service",
          s.unit() + (s.listens() ? " (listens on " + s.port() + "/" + s.protocol() + ")" : ""),
          "profile " + p.name() + " runs " + s.name(),
          s.source());
    }
    return new InfraPlan(PROVISION, t.name(), t.vmId(), t.host(), p.name(), null, plan.steps());
  }

  /** The bootstrap plan: the mail server's configuration and the DNS records its domain needs. */
  public static InfraPlan bootstrap(Bindings b, Request r) {
    Checked c = check(b, r);
    InfraTargets.Target t = c.target();
    PlanBuilder plan = new PlanBuilder();
    String zone = null;
    if (t.mail().isEmpty()) {
      plan.keep("configure-mail-server", "nothing: the target runs no mail server", "target " + t.name() + " has no mail: section", t.source());
    } else {
      zone = MailServerPlan.add(plan, b, t, t.mail().get());
    }
    return new InfraPlan(BOOTSTRAP, t.name(), t.vmId(), t.host(), c.profile().name(), zone, plan.steps());
  }

  /** The firewall a provision sets up: default deny, then each port a service needs, with why. */
  private static String firewall(InfraTargets.Target t, InfraProfiles.Profile p) {
    Map<String, String> open = new LinkedHashMap<>();
    for (InfraProfiles.Service s : p.services()) {
      if (s.listens()) {
        open.putIfAbsent(s.port() + "/" + s.protocol(), s.name() + from(p, s.port(), s.protocol()));
      }
    }
    for (StackContract.Service s : t.services()) {
      open.putIfAbsent(s.port() + "/" + s.protocol(), s.name() + from(p, s.port(), s.protocol()));
    }
    List<String> parts = new ArrayList<>();
    open.forEach((port, what) -> parts.add(port + " " + what));
    return "inbound " + p.firewall().defaultInbound() + " by default; allow " + String.join(", ", parts);
  }

  private static String from(InfraProfiles.Profile p, int port, String protocol) {
    return p.firewall().allowing(port, protocol).map(r -> r.from().equals("any") ? "" : " from " + r.from()).orElse("");
  }

  /** Finds the target and profile and refuses any disagreement, listing every one it finds. */
  static Checked check(Bindings b, Request r) {
    InfraTargets targets = b.infra();
    InfraTargets.Target t =
        targets
            .target(r.target())
            .orElseThrow(() -> new CommsException(ExitCode.USAGE, "--target '" + r.target() + "' is not in " + b.displayName(InfraTargets.FILE)
                + "; targets there: " + String.join(", ", targets.targets().stream().map(InfraTargets.Target::name).toList())));
    InfraProfiles profiles = b.infraProfiles();
    InfraProfiles.Profile p =
        profiles
            .profile(r.profile())
            .orElseThrow(() -> new CommsException(ExitCode.USAGE, "--profile '" + r.profile() + "' is not in " + b.displayName(InfraProfiles.FILE)
                + "; profiles there: " + String.join(", ", profiles.profiles().stream().map(InfraProfiles.Profile::name).toList())));
    List<ContractException> problems = new ArrayList<>();
    if (t.vmId() != r.vmId()) {
      problems.add(new ContractException(t.vmIdSource(), "target " + t.name() + " is VM " + t.vmId() + ", not --vm-id " + r.vmId()
          + "; check the VM id, or correct the inventory if the VM was renumbered"));
    }
    if (!t.profile().equals(p.name())) {
      problems.add(new ContractException(t.profileSource(), "target " + t.name() + " uses profile " + t.profile() + ", not --profile " + p.name()
          + "; plan it with --profile " + t.profile() + " or change the inventory"));
    }
    for (int i = 0; i < t.services().size(); i++) {
      StackContract.Service s = t.services().get(i);
      if (!p.firewall().opens(s.port(), s.protocol())) {
        problems.add(new ContractException(t.serviceSources().get(i), "service " + s.name() + " needs port " + s.port() + "/" + s.protocol()
            + ", which profile " + p.name() + "'s firewall closes (" + p.firewall().source().where() + ": inbound "
            + p.firewall().defaultInbound() + ", no allow rule for it); allow it in the profile or drop the service"));
      }
    }
    for (InfraProfiles.Service s : p.services()) {
      if (s.listens() && !p.firewall().opens(s.port(), s.protocol())) {
        problems.add(new ContractException(s.source(), "profile service " + s.name() + " listens on " + s.port() + "/" + s.protocol()
            + ", which the same profile's firewall closes (" + p.firewall().source().where() + "); allow it or drop the port"));
      }
    }
    t.mail().ifPresent(mail -> {
      for (InfraTargets.Listener l : mail.listeners()) {
        if (t.service(l.service()).isEmpty()) {
          problems.add(new ContractException(l.source(), "mail listener " + l.protocol() + " uses service '" + l.service()
              + "', which has no port: target " + t.name() + " lists no such service (services: "
              + String.join(", ", t.services().stream().map(StackContract.Service::name).toList()) + "); add it with its port"));
        }
      }
    });
    if (!problems.isEmpty()) {
      throw combined(problems);
    }
    return new Checked(t, p);
  }

  /** The first problem, with the others after it, so one run shows every line to fix. */
  private static ContractException combined(List<ContractException> problems) {
    ContractException first = problems.get(0);
    if (problems.size() == 1) {
      return first;
    }
    StringBuilder m = new StringBuilder(first.getMessage().substring(first.source().toString().length() + 2));
    for (ContractException e : problems.subList(1, problems.size())) {
      m.append("; also ").append(e.getMessage());
    }
    Source s = first.source();
    return new ContractException(s, m.toString());
  }
}
