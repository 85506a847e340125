package comms.core.contract;

import java.util.Optional;

/** The contract files a bindings folder holds, each with the JSON Schema (in schemas/) that describes it. */
public enum ContractKind {
  STACK(StackContract.FILE, "communications.stack.schema.json"),
  PROVIDERS(ProvidersContract.FILE, "communications.providers.schema.json"),
  POLICY(PolicyContract.FILE, "communications.policy.schema.json"),
  TEMPLATES(TemplatesCatalog.FILE, "communications.templates.schema.json"),
  DELIVERY(DeliveryContract.FILE, "communications.delivery.schema.json"),
  CAPABILITIES(CapabilityRegistry.FILE, "communications.capabilities.schema.json"),
  INFRA(InfraTargets.FILE, "infra.targets.schema.json"),
  INFRA_PROFILES(InfraProfiles.FILE, "infra.profiles.schema.json"),
  OPERATORS(OperatorsContract.FILE, "communications.operators.schema.json"),
  SEQUENCES(SequencesContract.FILE, "communications.sequences.schema.json");

  private final String file;
  private final String schemaFile;

  ContractKind(String file, String schemaFile) {
    this.file = file;
    this.schemaFile = schemaFile;
  }

  /** The contract's file name in the bindings folder. */
  public String file() {
    return file;
  }

  /** The schema's file name in the bindings folder's schemas/ (and in the copy bundled with comms). */
  public String schemaFile() {
    return schemaFile;
  }

  public static Optional<ContractKind> ofFile(String file) {
    for (ContractKind k : values()) {
      if (k.file.equals(file)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
