package comms.core.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The contracts folder. Each contract is read on first use only, so a command reads just the files it
 * needs and a broken file elsewhere does not stop an unrelated read. Every contract is checked against
 * its JSON Schema before its reader sees it.
 */
public final class Bindings {
  /** The folder, inside the bindings folder, holding the contracts' JSON Schemas. */
  public static final String SCHEMAS_DIR = "schemas";

  private final Path dir;
  private final Map<ContractKind, ContractSchema> schemas = new EnumMap<>(ContractKind.class);
  private StackContract stack;
  private ProvidersContract providers;
  private PolicyContract policy;
  private TemplatesCatalog templates;
  private DeliveryContract delivery;
  private CapabilityRegistry capabilities;
  private InfraTargets infra;
  private InfraProfiles infraProfiles;
  private OperatorsContract operators;
  private SequencesContract sequences;

  private boolean simulationOnly;

  public Bindings(Path dir) {
    this.dir = dir;
  }

  /**
   * From now on, reads the pilot and transactional modes as simulation whatever the contracts say.
   * Only ever switches live mode off (certification rehearses a live contract without sending).
   */
  public synchronized Bindings simulationOnly() {
    simulationOnly = true;
    stack = null;
    delivery = null;
    return this;
  }

  public synchronized boolean isSimulationOnly() {
    return simulationOnly;
  }

  /** Opens a bindings folder, refusing one that does not exist. */
  public static Bindings open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ContractException(
          dir.toString(), "bindings folder not found; pass --bindings DIR or set COMMS_BINDINGS to the folder with the contracts");
    }
    return new Bindings(dir);
  }

  public Path dir() {
    return dir;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  private <T> T load(String file, Function<YamlValue, T> reader) {
    ContractKind kind = ContractKind.ofFile(file).orElseThrow();
    YamlValue root = parse(kind);
    schema(kind).check(root);
    return reader.apply(root);
  }

  /** One contract file parsed, not yet checked. */
  public YamlValue parse(ContractKind kind) {
    Path p = dir.resolve(kind.file());
    return YamlValue.parse(p, displayName(p));
  }

  /**
   * The schema a contract is checked against: the bindings folder's schemas/ copy when it has one (so the
   * schema an editor checks with is the one comms checks with), else the copy bundled with comms.
   */
  public synchronized ContractSchema schema(ContractKind kind) {
    ContractSchema s = schemas.get(kind);
    if (s == null) {
      Path p = dir.resolve(SCHEMAS_DIR).resolve(kind.schemaFile());
      s = Files.isRegularFile(p) ? ContractSchema.read(p, displayName(p)) : ContractSchema.bundled(kind.schemaFile());
      schemas.put(kind, s);
    }
    return s;
  }

  /** Every schema violation in one contract (empty when it matches), for reports that show them all. */
  public List<ContractException> schemaViolations(ContractKind kind) {
    return schema(kind).violations(parse(kind));
  }

  /** Loads one contract by kind: parse, schema, reader. */
  public Object contract(ContractKind kind) {
    return switch (kind) {
      case STACK -> stack();
      case PROVIDERS -> providers();
      case POLICY -> policy();
      case TEMPLATES -> templates();
      case DELIVERY -> delivery();
      case CAPABILITIES -> capabilities();
      case INFRA -> infra();
      case INFRA_PROFILES -> infraProfiles();
      case OPERATORS -> operators();
      case SEQUENCES -> sequences();
    };
  }

  private String displayName(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  public String displayName(String file) {
    return displayName(dir.resolve(file));
  }

  public synchronized StackContract stack() {
    if (stack == null) {
      stack = load(StackContract.FILE, StackContract::from);
      stack = simulationOnly ? stack.simulated() : stack;
    }
    return stack;
  }

  public synchronized ProvidersContract providers() {
    return providers != null ? providers : (providers = load(ProvidersContract.FILE, ProvidersContract::from));
  }

  public synchronized PolicyContract policy() {
    return policy != null ? policy : (policy = load(PolicyContract.FILE, PolicyContract::from));
  }

  public synchronized TemplatesCatalog templates() {
    return templates != null ? templates : (templates = load(TemplatesCatalog.FILE, TemplatesCatalog::from));
  }

  public synchronized DeliveryContract delivery() {
    if (delivery == null) {
      delivery = load(DeliveryContract.FILE, DeliveryContract::from);
      delivery = simulationOnly ? delivery.simulated() : delivery;
    }
    return delivery;
  }

  public synchronized CapabilityRegistry capabilities() {
    return capabilities != null ? capabilities : (capabilities = load(CapabilityRegistry.FILE, CapabilityRegistry::from));
  }

  public synchronized InfraTargets infra() {
    return infra != null ? infra : (infra = load(InfraTargets.FILE, InfraTargets::from));
  }

  public synchronized InfraProfiles infraProfiles() {
    return infraProfiles != null ? infraProfiles : (infraProfiles = load(InfraProfiles.FILE, InfraProfiles::from));
  }

  public synchronized OperatorsContract operators() {
    return operators != null ? operators : (operators = load(OperatorsContract.FILE, OperatorsContract::from));
  }

  public synchronized SequencesContract sequences() {
    return sequences != null ? sequences : (sequences = load(SequencesContract.FILE, SequencesContract::from));
  }

  /** Loads every contract, so a bad one is refused before anything runs. */
  public Bindings loadAll() {
    stack();
    providers();
    policy();
    templates();
    delivery();
    capabilities();
    infra();
    infraProfiles();
    operators();
    sequences();
    mailboxProviders();
    return this;
  }

  /** Each operator's own mailbox names a gmail provider of the providers contract. */
  void mailboxProviders() {
    for (OperatorsContract.Operator o : operators().operators()) {
      OperatorsContract.Mailbox box = o.mailbox();
      if (box == null) {
        continue;
      }
      ProvidersContract.Provider p =
          providers().provider(box.provider()).orElseThrow(() -> new ContractException(
              box.source(), "operator " + o.email() + "'s mailbox names provider '" + box.provider() + "', which " + ProvidersContract.FILE
                  + " does not define; add a provider of kind gmail by that name"));
      if (!p.kind().equals("gmail")) {
        throw new ContractException(box.source(), "operator " + o.email() + "'s mailbox names provider '" + box.provider() + "' of kind " + p.kind()
            + "; an operator's own mailbox is a gmail provider");
      }
    }
  }
}
