package comms.core.verify;

import comms.core.contract.Bindings;
import comms.core.contract.CapabilityRegistry;
import comms.core.contract.ContractException;
import comms.core.contract.ContractKind;
import comms.core.contract.DeliveryContract;
import comms.core.contract.InfraTargets;
import comms.core.contract.OperatorsContract;
import comms.core.contract.PolicyContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.Source;
import comms.core.contract.StackContract;
import comms.core.contract.TemplatesCatalog;
import comms.core.stack.ContractParity;
import comms.core.stack.ParityCheck;
import comms.core.stack.StackStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The static checks behind {@code comms verify}: every contract parses and matches its JSON Schema;
 * message types, templates, provider routes and channels agree both ways; every template variable is
 * declared and used; the capability registry and the program's commands match, approval modes included;
 * and every capability is in a runbook. Reads only; each failure names the file and line to fix.
 */
public final class Verification {
  public static final String CONTRACTS = "contracts";
  public static final String REFERENCES = "references";
  public static final String TEMPLATES = "templates";
  public static final String CAPABILITIES = "capabilities";
  public static final String RUNBOOKS = "runbooks";

  private static final Pattern MODELINE = Pattern.compile("^#\\s*yaml-language-server:\\s*\\$schema=(\\S+)");

  private Verification() {}

  /**
   * A command of the program as the CLI sees it: whether it asks for approval on stdin (it declares so),
   * and whether it has the {@code --execute} option that every approval-gated command needs.
   */
  public record ProgramCommand(String name, boolean prompts, boolean executeOption) {}

  /** Every check, in a stable order (a CI system compares runs by name). */
  public record Report(List<VerifyCheck> checks) {
    public Report {
      checks = List.copyOf(checks);
    }

    public boolean passed() {
      return checks.stream().noneMatch(c -> c.status() != VerifyCheck.Status.PASS);
    }

    public long count(VerifyCheck.Status status) {
      return checks.stream().filter(c -> c.status() == status).count();
    }
  }

  public static Report run(Bindings bindings, List<ProgramCommand> commands, Runbooks runbooks) {
    return new Run(bindings).all(commands, runbooks);
  }

  /** One verification: the contracts that loaded, and the checks so far. */
  private static final class Run {
    final Bindings b;
    final Map<ContractKind, Object> loaded = new EnumMap<>(ContractKind.class);
    final List<VerifyCheck> checks = new ArrayList<>();

    Run(Bindings b) {
      this.b = b;
    }

    Report all(List<ProgramCommand> commands, Runbooks runbooks) {
      contracts();
      schemaReferences();
      references();
      templateVariables();
      CapabilityRegistry registry = (CapabilityRegistry) loaded.get(ContractKind.CAPABILITIES);
      if (registry == null) {
        String why = "not checked: " + CapabilityRegistry.FILE + " does not load";
        checks.add(VerifyCheck.skip(CAPABILITIES, "registry and commands", why));
        checks.add(VerifyCheck.skip(CAPABILITIES, "approval modes", why));
        checks.add(VerifyCheck.skip(RUNBOOKS, "runbooks", why));
      } else {
        checks.add(registryAndCommands(registry, commands));
        checks.add(approvalModes(registry, commands));
        checks.add(runbooks(registry, runbooks));
      }
      return new Report(checks);
    }

    // -------------------------------------------------------------- contracts

    void contracts() {
      for (ContractKind k : ContractKind.values()) {
        try {
          List<ContractException> violations = b.schemaViolations(k);
          if (!violations.isEmpty()) {
            checks.add(VerifyCheck.fail(CONTRACTS, k.file(), violations.stream().map(Verification::problem).toList()));
            continue;
          }
          loaded.put(k, b.contract(k));
          checks.add(VerifyCheck.pass(CONTRACTS, k.file(), "matches " + b.schema(k).name() + " and loads"));
        } catch (ContractException e) {
          checks.add(VerifyCheck.fail(CONTRACTS, k.file(), List.of(problem(e))));
        }
      }
    }

    /** The first line's {@code $schema=} (for editors) names the schema comms checks the contract with. */
    void schemaReferences() {
      List<VerifyCheck.Problem> problems = new ArrayList<>();
      int named = 0;
      int unnamed = 0;
      for (ContractKind k : ContractKind.values()) {
        Path file = b.file(k.file());
        String first;
        try {
          first = Files.isRegularFile(file) ? Files.readString(file).lines().findFirst().orElse("") : null;
        } catch (IOException e) {
          first = null;
        }
        if (first == null) {
          continue;
        }
        Matcher m = MODELINE.matcher(first);
        if (!m.find()) {
          unnamed++;
          continue;
        }
        named++;
        String want = Bindings.SCHEMAS_DIR + "/" + k.schemaFile();
        String where = b.displayName(k.file()) + ":1:" + (m.start(1) + 1);
        if (!m.group(1).equals(want)) {
          problems.add(new VerifyCheck.Problem(
              where, "names schema " + m.group(1) + " but comms checks this contract against " + want + "; write $schema=" + want));
        } else if (!Files.isRegularFile(b.file(want))) {
          problems.add(new VerifyCheck.Problem(
              where, "names " + want + ", which this bindings folder does not have, so editors cannot check it; copy the "
                  + Bindings.SCHEMAS_DIR + "/ folder from the comms sample bindings"));
        }
      }
      checks.add(problems.isEmpty()
          ? VerifyCheck.pass(CONTRACTS, "schema references", named + " contracts name their schema on line 1 for editors"
              + (unnamed == 0 ? "" : "; " + unnamed + " name none (editors will not check them)"))
          : VerifyCheck.fail(CONTRACTS, "schema references", problems));
    }

    // -------------------------------------------------------------- cross-references

    void references() {
      StackContract stack = (StackContract) loaded.get(ContractKind.STACK);
      ProvidersContract providers = (ProvidersContract) loaded.get(ContractKind.PROVIDERS);
      PolicyContract policy = (PolicyContract) loaded.get(ContractKind.POLICY);
      TemplatesCatalog templates = (TemplatesCatalog) loaded.get(ContractKind.TEMPLATES);
      DeliveryContract delivery = (DeliveryContract) loaded.get(ContractKind.DELIVERY);
      InfraTargets infra = (InfraTargets) loaded.get(ContractKind.INFRA);

      findings("routes", () -> ContractParity.routes(delivery, providers, templates),
          () -> ContractParity.routeCount(delivery) + " routes name existing providers and templates on their channel",
          ContractKind.DELIVERY, ContractKind.PROVIDERS, ContractKind.TEMPLATES);
      findings("templates", () -> ContractParity.templates(templates, delivery),
          () -> templates.templates().size() + " templates each have a declared message type and a route that uses them",
          ContractKind.TEMPLATES, ContractKind.DELIVERY);
      findings("message types", () -> ContractParity.messageTypes(delivery),
          () -> delivery.messageTypes().size() + " message types each have routes, one per channel",
          ContractKind.DELIVERY);
      comms.core.contract.OperatorsContract roster = (comms.core.contract.OperatorsContract) loaded.get(ContractKind.OPERATORS);
      java.util.Set<String> ownMailboxes = new java.util.HashSet<>();
      if (roster != null) {
        roster.operators().forEach(o -> {
          if (o.mailbox() != null) {
            ownMailboxes.add(o.mailbox().provider());
          }
        });
      }
      findings("providers", () -> ContractParity.providersUsed(providers, delivery, stack, ownMailboxes),
          () -> providers.providers().size() + " providers are each used by a route or the mailbox pilot",
          ContractKind.PROVIDERS, ContractKind.DELIVERY, ContractKind.STACK);
      findings("consent channels", () -> ContractParity.consentChannels(policy, delivery),
          () -> "channels " + String.join(", ", policy.consent().keySet()) + " each have a consent rule and a route",
          ContractKind.POLICY, ContractKind.DELIVERY);
      parity("pilot mode", () -> StackStatus.pilotMode(stack, providers), ContractKind.STACK, ContractKind.PROVIDERS);
      parity("pilot mailboxes", () -> StackStatus.pilotMailboxes(stack), ContractKind.STACK);
      parity("infra target", () -> StackStatus.infraParity(stack, infra), ContractKind.STACK, ContractKind.INFRA);
      OperatorsContract operators = (OperatorsContract) loaded.get(ContractKind.OPERATORS);
      parity("operators", () -> StackStatus.operatorSenders(operators, providers), ContractKind.OPERATORS, ContractKind.PROVIDERS);
    }

    /** A check that needs contracts: skipped (with the reason) when one of them did not load. */
    boolean ready(String group, String name, ContractKind... needs) {
      Set<String> missing = new LinkedHashSet<>();
      for (ContractKind k : needs) {
        if (!loaded.containsKey(k)) {
          missing.add(k.file());
        }
      }
      if (missing.isEmpty()) {
        return true;
      }
      checks.add(VerifyCheck.skip(group, name, "not checked: " + String.join(", ", missing) + (missing.size() == 1 ? " does" : " do") + " not load"));
      return false;
    }

    void findings(String name, Supplier<List<ContractParity.Finding>> check, Supplier<String> summary, ContractKind... needs) {
      if (!ready(REFERENCES, name, needs)) {
        return;
      }
      List<ContractParity.Finding> found = check.get();
      checks.add(found.isEmpty()
          ? VerifyCheck.pass(REFERENCES, name, summary.get())
          : VerifyCheck.fail(REFERENCES, name, found.stream().map(f -> new VerifyCheck.Problem(f.where(), f.message())).toList()));
    }

    void parity(String name, Supplier<ParityCheck> check, ContractKind... needs) {
      if (!ready(REFERENCES, name, needs)) {
        return;
      }
      ParityCheck c = check.get();
      checks.add(c.passed()
          ? VerifyCheck.pass(REFERENCES, name, c.reason())
          : VerifyCheck.fail(REFERENCES, name, List.of(new VerifyCheck.Problem(c.where(), c.reason()))));
    }

    // -------------------------------------------------------------- template variables

    void templateVariables() {
      if (!ready(TEMPLATES, "template variables", ContractKind.TEMPLATES)) {
        return;
      }
      TemplatesCatalog catalog = (TemplatesCatalog) loaded.get(ContractKind.TEMPLATES);
      // The same check stack.status runs (what the renderer would refuse), plus declared-but-unused variables.
      List<VerifyCheck.Problem> problems = new ArrayList<>();
      for (ContractParity.Finding f : ContractParity.templateVariables(catalog)) {
        problems.add(new VerifyCheck.Problem(f.where(), f.message()));
      }
      for (ContractParity.Finding f : ContractParity.unusedVariables(catalog)) {
        problems.add(new VerifyCheck.Problem(f.where(), f.message()));
      }
      checks.add(problems.isEmpty()
          ? VerifyCheck.pass(TEMPLATES, "template variables", catalog.templates().size() + " templates use exactly the variables they declare")
          : VerifyCheck.fail(TEMPLATES, "template variables", problems));
    }

    // -------------------------------------------------------------- capabilities

    VerifyCheck registryAndCommands(CapabilityRegistry registry, List<ProgramCommand> commands) {
      List<VerifyCheck.Problem> problems = new ArrayList<>();
      Set<String> names = new TreeSet<>();
      commands.forEach(c -> names.add(c.name()));
      for (ProgramCommand c : commands) {
        if (registry.byCommand(c.name()).isEmpty()) {
          problems.add(new VerifyCheck.Problem(
              where(registry.source()),
              "`comms " + c.name() + "` is a command but the registry has no " + CapabilityRegistry.nameOf(c.name())
                  + "; add it with its safety and approval"));
        }
      }
      for (CapabilityRegistry.Capability cap : registry.capabilities()) {
        if (!names.contains(cap.command())) {
          problems.add(new VerifyCheck.Problem(
              where(cap.source()), cap.name() + " is registered but comms has no command " + cap.command() + "; remove the entry or add the command"));
        }
      }
      return problems.isEmpty()
          ? VerifyCheck.pass(CAPABILITIES, "registry and commands", registry.capabilities().size() + " capabilities match the program's commands both ways")
          : VerifyCheck.fail(CAPABILITIES, "registry and commands", problems);
    }

    VerifyCheck approvalModes(CapabilityRegistry registry, List<ProgramCommand> commands) {
      List<VerifyCheck.Problem> problems = new ArrayList<>();
      int prompting = 0;
      for (ProgramCommand c : commands) {
        var cap = registry.byCommand(c.name());
        String where = cap.map(x -> where(x.source())).orElse("command " + c.name());
        if (c.prompts() != c.executeOption()) {
          problems.add(new VerifyCheck.Problem(where, c.prompts()
              ? "`comms " + c.name() + "` is declared as asking for approval but has no --execute option; without it every run would be live"
              : "`comms " + c.name() + "` has --execute but is not declared as asking for approval; mark the command class @ApprovalGated"));
        }
        if (cap.isEmpty()) {
          continue;
        }
        boolean manual = "manual".equals(cap.get().approval());
        if (c.prompts()) {
          prompting++;
        }
        if (manual && !c.prompts()) {
          problems.add(new VerifyCheck.Problem(where, cap.get().name() + " says approval: manual but `comms " + c.name()
              + "` never asks for approval; make it prompt (and mark it @ApprovalGated) or set approval: none"));
        } else if (!manual && c.prompts()) {
          problems.add(new VerifyCheck.Problem(where, cap.get().name() + " says approval: none but `comms " + c.name()
              + "` asks for approval on stdin; set approval: manual"));
        }
      }
      return problems.isEmpty()
          ? VerifyCheck.pass(CAPABILITIES, "approval modes",
              "each capability's approval matches its command (" + (prompting == 1 ? "1 asks" : prompting + " ask")
                  + " for approval, the rest never prompt)")
          : VerifyCheck.fail(CAPABILITIES, "approval modes", problems);
    }

    VerifyCheck runbooks(CapabilityRegistry registry, Runbooks runbooks) {
      String dir = display(runbooks.dir());
      if (!runbooks.exists()) {
        return VerifyCheck.fail(RUNBOOKS, "runbooks", List.of(new VerifyCheck.Problem(
            dir, "runbooks folder not found; pass --runbooks DIR, or create it with a runbook that shows each capability's command")));
      }
      List<VerifyCheck.Problem> problems = new ArrayList<>();
      for (CapabilityRegistry.Capability cap : registry.capabilities()) {
        if (runbooks.mentioning(cap.name(), cap.command()).isEmpty()) {
          problems.add(new VerifyCheck.Problem(
              where(cap.source()),
              cap.name() + " appears in no runbook in " + dir + "; add `comms " + cap.command()
                  + "` in a fenced bash block (e.g. to communications-live-pilot.md)"));
        }
      }
      return problems.isEmpty()
          ? VerifyCheck.pass(RUNBOOKS, "runbooks", registry.capabilities().size() + " capabilities each appear in a runbook ("
              + runbooks.files().size() + (runbooks.files().size() == 1 ? " runbook" : " runbooks") + " in " + dir + ")")
          : VerifyCheck.fail(RUNBOOKS, "runbooks", problems);
    }
  }

  static VerifyCheck.Problem problem(ContractException e) {
    Source s = e.source();
    String where = where(s);
    String prefix = (s.line() > 0 ? s.toString() : s.file()) + ": ";
    String m = e.getMessage();
    return new VerifyCheck.Problem(s.line() > 0 ? s.toString() : where, m.startsWith(prefix) ? m.substring(prefix.length()) : m);
  }

  static String where(Source s) {
    return s.line() > 0 ? s.where() : s.file();
  }

  /** A path as the operator typed it: relative to the working folder when inside it. */
  static String display(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }
}
