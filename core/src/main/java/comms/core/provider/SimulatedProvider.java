package comms.core.provider;

/** Simulation: accepts every message without any network, with a deterministic message id. */
public final class SimulatedProvider implements Provider {
  private final String name;

  public SimulatedProvider(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DispatchResult send(Dispatch d) {
    return new DispatchResult("simulated", "sim-" + d.deliveryId(), 1);
  }
}
