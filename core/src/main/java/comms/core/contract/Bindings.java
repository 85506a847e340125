package comms.core.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The contracts folder. Each contract is read on first use only, so a command reads just the files it
 * needs and a broken file elsewhere does not stop an unrelated read.
 */
public final class Bindings {
  private final Path dir;
  private StackContract stack;
  private ProvidersContract providers;
  private PolicyContract policy;
  private TemplatesCatalog templates;
  private DeliveryContract delivery;
  private CapabilityRegistry capabilities;
  private InfraTargets infra;

  public Bindings(Path dir) {
    this.dir = dir;
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
    Path p = dir.resolve(file);
    return reader.apply(YamlValue.parse(p, displayName(p)));
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
    return stack != null ? stack : (stack = load(StackContract.FILE, StackContract::from));
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
    return delivery != null ? delivery : (delivery = load(DeliveryContract.FILE, DeliveryContract::from));
  }

  public synchronized CapabilityRegistry capabilities() {
    return capabilities != null ? capabilities : (capabilities = load(CapabilityRegistry.FILE, CapabilityRegistry::from));
  }

  public synchronized InfraTargets infra() {
    return infra != null ? infra : (infra = load(InfraTargets.FILE, InfraTargets::from));
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
    return this;
  }
}
