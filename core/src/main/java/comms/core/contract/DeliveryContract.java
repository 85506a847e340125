package comms.core.contract;

import java.util.List;
import java.util.Optional;

/** communications.delivery.contract.yaml: send mode, message types and their routes, retry policy. */
public record DeliveryContract(Source source, String mode, Source modeSource, List<MessageType> messageTypes, Retry retry) {
  public static final String FILE = "communications.delivery.contract.yaml";
  public static final List<String> MODES = List.of("simulation", "live");

  public DeliveryContract {
    messageTypes = List.copyOf(messageTypes);
  }

  /** A kind of message the business sends, and how it goes out on each channel. */
  public record MessageType(Source source, String name, String description, List<Route> routes) {
    public MessageType {
      routes = List.copyOf(routes);
    }

    public Optional<Route> route(String channel) {
      return routes.stream().filter(r -> r.channel().equals(channel)).findFirst();
    }
  }

  /** message type + channel → provider and template. */
  public record Route(Source source, String channel, String provider, String template) {}

  /** One retry policy for every provider. */
  public record Retry(int maxAttempts, long baseDelayMs, long maxDelayMs) {}

  /** The same contract in simulation mode. */
  public DeliveryContract simulated() {
    return new DeliveryContract(source, "simulation", modeSource, messageTypes, retry);
  }

  public boolean live() {
    return "live".equals(mode);
  }

  public Optional<MessageType> messageType(String name) {
    return messageTypes.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public static DeliveryContract from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    Source modeSource = m.get("mode").source();
    String mode = m.oneOf("mode", MODES);
    List<MessageType> types = m.list("message_types", DeliveryContract::messageType);
    Retry retry = new Retry(5, 500, 30_000);
    if (m.has("retry")) {
      YamlMap r = m.map("retry");
      retry = new Retry(r.integer("max_attempts", 5), r.integer("base_delay_ms", 500), r.integer("max_delay_ms", 30_000));
      if (retry.maxAttempts() < 1 || retry.maxAttempts() > 5) {
        throw r.get("max_attempts").error("max_attempts must be between 1 and 5");
      }
      r.end();
    } else {
      m.opt("retry");
    }
    m.end();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (MessageType t : types) {
      if (!names.add(t.name())) {
        throw new ContractException(t.source(), "message type '" + t.name() + "' is declared twice");
      }
    }
    return new DeliveryContract(root.source(), mode, modeSource, types, retry);
  }

  private static MessageType messageType(YamlValue v) {
    YamlMap m = v.asMap();
    String name = m.string("name");
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw m.get("name").error("message type '" + name + "' must be lower_snake_case");
    }
    List<Route> routes = m.list("routes", DeliveryContract::route);
    MessageType t = new MessageType(m.source(), name, m.string("description", ""), routes);
    m.end();
    return t;
  }

  private static Route route(YamlValue v) {
    YamlMap m = v.asMap();
    Route r = new Route(m.source(), m.oneOf("channel", Channels.SENDABLE), m.string("provider"), m.string("template"));
    m.end();
    return r;
  }
}
