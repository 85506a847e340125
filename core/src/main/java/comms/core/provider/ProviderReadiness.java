package comms.core.provider;

import comms.core.contract.Channels;
import comms.core.contract.DeliveryContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.StackContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Whether each provider is live or simulated and, for live use, which secret variables are set. */
public final class ProviderReadiness {
  private ProviderReadiness() {}

  /** An environment variable a provider needs: its role and name, and whether it is set. Never its value. */
  public record EnvVar(String role, String name, boolean set) {}

  /** One provider's route status. */
  public record Status(
      String name, String kind, List<String> channels, String mode, String baseUrl, List<String> routes, List<EnvVar> env) {
    public List<String> missing() {
      return env.stream().filter(e -> !e.set()).map(EnvVar::name).toList();
    }

    public boolean ready() {
      return mode.equals("simulation") || missing().isEmpty();
    }
  }

  public static List<Status> of(ProvidersContract providers, DeliveryContract delivery, StackContract stack, Map<String, String> env) {
    List<Status> out = new ArrayList<>();
    for (ProvidersContract.Provider p : providers.providers()) {
      out.add(of(p, delivery, stack, env));
    }
    return out;
  }

  public static Status of(ProvidersContract.Provider p, DeliveryContract delivery, StackContract stack, Map<String, String> env) {
    List<String> routes = new ArrayList<>();
    if (delivery != null) {
      for (DeliveryContract.MessageType mt : delivery.messageTypes()) {
        for (DeliveryContract.Route r : mt.routes()) {
          if (r.provider().equals(p.name())) {
            routes.add(mt.name() + "/" + r.channel());
          }
        }
      }
    }
    List<EnvVar> vars = new ArrayList<>();
    p.env().forEach((role, name) -> vars.add(new EnvVar(role, name, env.get(name) != null && !env.get(name).isBlank())));
    return new Status(p.name(), p.kind(), p.channels(), mode(p, delivery, stack), p.baseUrl(), routes, vars);
  }

  /** A mailbox provider follows the pilot's send_test.mode; SMS and email providers the delivery mode. */
  public static String mode(ProvidersContract.Provider p, DeliveryContract delivery, StackContract stack) {
    if (p.serves(Channels.MAILBOX)) {
      return stack != null && stack.pilot().live() ? "live" : "simulation";
    }
    return delivery != null && delivery.live() ? "live" : "simulation";
  }
}
