package comms.core.stack;

import comms.core.contract.Bindings;
import comms.core.contract.CapabilityRegistry;
import comms.core.contract.Channels;
import comms.core.contract.ContractException;
import comms.core.contract.DeliveryContract;
import comms.core.contract.InfraTargets;
import comms.core.contract.OperatorsContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.StackContract;
import comms.core.contract.TemplatesCatalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The parity checks behind {@code stack.status}: every contract loads, routes and templates and
 * providers agree, every template renders, the pilot is consistent, and the stack agrees with the
 * deploy inventory.
 */
public final class StackStatus {
  private StackStatus() {}

  /** The checks and the facts shown beside them. */
  public record Report(String stack, String stage, String sendTestMode, String deliveryMode, List<ParityCheck> checks) {
    public Report {
      checks = List.copyOf(checks);
    }

    public boolean passed() {
      return checks.stream().allMatch(ParityCheck::passed);
    }
  }

  public static Report check(Bindings b) {
    List<ParityCheck> checks = new ArrayList<>();
    StackContract stack = load(checks, StackContract.FILE, b::stack);
    ProvidersContract providers = load(checks, ProvidersContract.FILE, b::providers);
    load(checks, comms.core.contract.PolicyContract.FILE, b::policy);
    TemplatesCatalog templates = load(checks, TemplatesCatalog.FILE, b::templates);
    DeliveryContract delivery = load(checks, DeliveryContract.FILE, b::delivery);
    load(checks, CapabilityRegistry.FILE, b::capabilities);
    InfraTargets infra = load(checks, InfraTargets.FILE, b::infra);
    OperatorsContract operators = load(checks, OperatorsContract.FILE, b::operators);

    if (delivery != null && providers != null && templates != null) {
      checks.addAll(routes(delivery, providers, templates));
    }
    if (templates != null && delivery != null) {
      checks.add(templatesRouted(templates, delivery));
    }
    if (templates != null) {
      checks.add(templateVariables(templates));
    }
    if (stack != null) {
      checks.add(pilotMode(stack, providers));
      checks.add(pilotMailboxes(stack));
    }
    if (stack != null && infra != null) {
      checks.add(infraParity(stack, infra));
    }
    if (operators != null && providers != null) {
      checks.add(operatorSenders(operators, providers));
    }
    return new Report(
        stack == null ? null : stack.stack().name(),
        stack == null ? null : stack.stack().stage(),
        stack == null ? null : stack.pilot().sendTest().mode(),
        delivery == null ? null : delivery.mode(),
        checks);
  }

  private static <T> T load(List<ParityCheck> checks, String file, Supplier<T> loader) {
    try {
      T t = loader.get();
      checks.add(ParityCheck.pass("contract " + file, "loads and is valid"));
      return t;
    } catch (ContractException e) {
      checks.add(ParityCheck.fail("contract " + file, e.getMessage(), e.source().where()));
      return null;
    }
  }

  public static List<ParityCheck> routes(DeliveryContract d, ProvidersContract p, TemplatesCatalog t) {
    List<ContractParity.Finding> found = ContractParity.routes(d, p, t);
    if (found.isEmpty()) {
      return List.of(ParityCheck.pass(
          "routes", ContractParity.routeCount(d) + " routes name existing providers and templates on the right channel"));
    }
    return List.of(ParityCheck.fail("routes", joined(found), found.get(0).source().where()));
  }

  public static ParityCheck templatesRouted(TemplatesCatalog t, DeliveryContract d) {
    List<ContractParity.Finding> found = ContractParity.templates(t, d);
    return found.isEmpty()
        ? ParityCheck.pass("templates", t.templates().size() + " templates each have a route on their channel")
        : ParityCheck.fail("templates", joined(found), found.get(0).source().where());
  }

  /** Every template renders: the strict renderer would refuse each send of a template that uses an undeclared variable. */
  public static ParityCheck templateVariables(TemplatesCatalog t) {
    List<ContractParity.Finding> found = ContractParity.templateVariables(t);
    return found.isEmpty()
        ? ParityCheck.pass("template variables", t.templates().size() + " templates declare every variable they use")
        : ParityCheck.fail("template variables", joined(found), found.get(0).where());
  }

  private static String joined(List<ContractParity.Finding> found) {
    return String.join("; ", found.stream().map(f -> f.message() + " (" + f.source().where() + ")").toList());
  }

  public static ParityCheck pilotMode(StackContract s, ProvidersContract p) {
    StackContract.Pilot pilot = s.pilot();
    String backend = pilot.executionBackend();
    boolean graph = p != null && p.providers().stream().anyMatch(x -> x.kind().equals(backend) && x.serves(Channels.MAILBOX));
    if (!graph) {
      return ParityCheck.fail(
          "pilot mode",
          "execution_backend is " + backend + " but no provider of that kind serves the mailbox channel in " + ProvidersContract.FILE,
          pilot.backendSource().where());
    }
    return ParityCheck.pass(
        "pilot mode",
        "send_test.mode " + pilot.sendTest().mode() + " with backend " + backend + (pilot.live() ? " (live pilot)" : " (simulated)"));
  }

  public static ParityCheck pilotMailboxes(StackContract s) {
    int active = s.pilot().activeMailboxes().size();
    if (active == 0) {
      return ParityCheck.fail("pilot mailboxes", "no active row in pilot.mailboxes[]; set active: true on at least one", s.pilot().source().where());
    }
    return ParityCheck.pass("pilot mailboxes", active + " of " + s.pilot().mailboxes().size() + " mailboxes active");
  }

  public static ParityCheck infraParity(StackContract s, InfraTargets infra) {
    StackContract.Infra want = s.stack().infra();
    var target = infra.target(want.target());
    if (target.isEmpty()) {
      return ParityCheck.fail(
          "infra target",
          "stack.infra.target '" + want.target() + "' is not in " + InfraTargets.FILE + " (targets: "
              + String.join(", ", infra.targets().stream().map(InfraTargets.Target::name).toList()) + ")",
          want.source().where());
    }
    InfraTargets.Target t = target.get();
    List<String> diffs = new ArrayList<>();
    if (t.vmId() != want.vmId()) {
      diffs.add("vm_id " + want.vmId() + " vs " + t.vmId());
    }
    if (!t.profile().equals(want.profile())) {
      diffs.add("profile " + want.profile() + " vs " + t.profile());
    }
    if (!t.host().equals(want.host())) {
      diffs.add("host " + want.host() + " vs " + t.host());
    }
    Set<StackContract.Service> have = new HashSet<>(t.services());
    for (StackContract.Service svc : want.services()) {
      if (!have.contains(svc)) {
        diffs.add("service " + svc.name() + " " + svc.port() + "/" + svc.protocol() + " not exposed by the target");
      }
    }
    if (!diffs.isEmpty()) {
      return ParityCheck.fail(
          "infra target",
          "stack.infra disagrees with " + InfraTargets.FILE + " target " + t.name() + " (stack vs inventory): "
              + String.join("; ", diffs) + " (inventory entry at " + t.source().where() + ")",
          want.source().where());
    }
    return ParityCheck.pass(
        "infra target", t.name() + " vm " + t.vmId() + " " + t.profile() + " on " + t.host() + ", " + want.services().size() + " services agree");
  }

  /** email_from names only providers that exist and send email, so an operator's From never lands on SMS or a mailbox. */
  public static ParityCheck operatorSenders(OperatorsContract o, ProvidersContract p) {
    OperatorsContract.EmailFrom from = o.emailFrom();
    List<String> wrong = new ArrayList<>();
    for (String name : from.providers()) {
      var provider = p.provider(name);
      if (provider.isEmpty()) {
        wrong.add(name + " is not in " + ProvidersContract.FILE);
      } else if (!provider.get().serves(Channels.EMAIL)) {
        wrong.add(name + " does not serve the email channel");
      }
    }
    if (!wrong.isEmpty()) {
      return ParityCheck.fail("operators", "email_from.providers: " + String.join("; ", wrong), from.source().where());
    }
    return ParityCheck.pass(
        "operators",
        o.operators().size() + " operators, default " + o.defaultOperator()
            + (from.providers().isEmpty() ? "; email goes out From the providers' own address" : "; email through " + String.join(", ", from.providers()) + " goes out From the acting operator in " + String.join(", ", from.domains())));
  }
}
