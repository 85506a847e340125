package comms.cli.faults;

import comms.cli.CliRun;
import comms.core.provider.LiveFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One outbox the fault harness drives, in one mode: simulated SMS, live SMS through Twilio, or live
 * email through Resend (both live ones against a {@link LoopbackProviders}). It knows how to spell a
 * send.execute for the n-th message (a distinct recipient and idempotency key each), and how to run
 * comms in-process (the "next run" after a kill) or as its own process.
 */
final class Lane {
  /** A daytime instant in Chicago, so quiet hours never defer a harness send. */
  static final String DAYTIME = "2026-11-18T17:00:00Z";

  static final String VARS = "{\"customer_name\":\"Ana\",\"order_number\":\"30020\",\"pickup_window\":\"Fri 9-5\"}";

  /** What the lane sends through. */
  enum Mode {
    SIMULATION("simulation", "sim", "sms"),
    LIVE_TWILIO("live twilio", "twl", "sms"),
    LIVE_RESEND("live resend", "rsd", "email");

    final String label;
    final String tag;
    final String channel;

    Mode(String label, String tag, String channel) {
      this.label = label;
      this.tag = tag;
      this.channel = channel;
    }

    boolean live() {
      return this != SIMULATION;
    }
  }

  final Mode mode;
  final Path outbox;
  final Path bindings;
  final LoopbackProviders server;
  private final String tag;
  private final Map<String, String> env = new LinkedHashMap<>();
  private int next;

  /**
   * @param dir a fresh folder for this lane's outbox and contracts
   * @param tag distinguishes this lane's keys and recipients from other lanes' (a short word)
   * @param server the loopback provider for live modes (null in simulation)
   */
  Lane(Path dir, String tag, Mode mode, LoopbackProviders server) {
    this.mode = mode;
    this.tag = tag;
    this.server = server;
    this.outbox = dir.resolve("outbox");
    this.bindings = mode.live() ? liveBindings(dir, server.url()) : uncapped(CliRun.copyBindings(created(dir)));
    env.put("COMMS_BINDINGS", bindings.toString());
    env.put("COMMS_OUTBOX", outbox.toString());
    env.put("COMMS_NOW", DAYTIME);
    if (mode.live()) {
      env.putAll(LiveFixtures.env());
    }
  }

  private static Path created(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The harness sends hundreds of messages as one operator within one (fixed) minute: lift the
   * sample's per-operator caps so they measure crashes and concurrency, not the caps (which
   * CapRaceTest proves on its own).
   */
  static Path uncapped(Path b) {
    CliRun.edit(b, "communications.operators.yaml", "  daily_cap: 1000", "  daily_cap: 1000000");
    CliRun.edit(b, "communications.operators.yaml", "  per_minute_cap: 30", "  per_minute_cap: 10000");
    return b;
  }

  /** A writable copy of the sample contracts in live mode, Twilio and Resend at {@code base}, quick retries. */
  static Path liveBindings(Path dir, String base) {
    created(dir);
    Path b = uncapped(CliRun.copyBindings(dir));
    CliRun.edit(b, "communications.delivery.contract.yaml", "mode: simulation", "mode: live");
    CliRun.edit(b, "communications.delivery.contract.yaml", "base_delay_ms: 500", "base_delay_ms: 1");
    CliRun.edit(b, "communications.delivery.contract.yaml", "max_delay_ms: 30000", "max_delay_ms: 5");
    CliRun.edit(b, "communications.providers.contract.yaml", "base_url: https://api.resend.com",
        "base_url: " + base + "\n    connect_timeout_ms: 2000\n    read_timeout_ms: 30000");
    CliRun.edit(b, "communications.providers.contract.yaml", "base_url: https://api.twilio.com",
        "base_url: " + base + "\n    connect_timeout_ms: 2000\n    read_timeout_ms: 30000");
    return b;
  }

  /** The same outbox and provider with a read timeout of {@code ms} (a sibling copy of the contracts). */
  Lane withReadTimeout(int ms) {
    Lane l = new Lane(this, ms);
    return l;
  }

  private Lane(Lane of, int readTimeoutMs) {
    this.mode = of.mode;
    this.tag = of.tag;
    this.server = of.server;
    this.outbox = of.outbox;
    this.bindings = of.bindings.resolveSibling("bindings-read-timeout-" + readTimeoutMs);
    try {
      if (!Files.exists(bindings)) {
        Path copy = CliRun.copyBindings(Files.createTempDirectory(of.bindings.getParent(), "copy"));
        Files.move(copy, bindings);
        String p = Files.readString(of.bindings.resolve("communications.providers.contract.yaml")).replace("read_timeout_ms: 30000", "read_timeout_ms: " + readTimeoutMs);
        Files.writeString(bindings.resolve("communications.providers.contract.yaml"), p);
        Files.copy(of.bindings.resolve("communications.delivery.contract.yaml"), bindings.resolve("communications.delivery.contract.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(of.bindings.resolve("communications.operators.yaml"), bindings.resolve("communications.operators.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    env.putAll(of.env);
    env.put("COMMS_BINDINGS", bindings.toString());
    this.shared = of;
  }

  /** The lane whose message numbers this one shares (itself unless made by withReadTimeout). */
  private Lane shared = this;

  Map<String, String> env() {
    return Map.copyOf(env);
  }

  /** The next message number of this lane. */
  int next() {
    synchronized (shared) {
      return shared.next++;
    }
  }

  String key(int n) {
    return "fault-" + tag + "-" + n;
  }

  /** A distinct recipient per message, valid in live mode (312 is Chicago: inside the send window). */
  String recipient(int n) {
    if (mode.channel.equals("email")) {
      return "c" + n + "." + tag + "@example.com";
    }
    // Exchange 7xx of Chicago's 312: assigned numbers for libphonenumber, distinct per lane.
    return String.format("+13127%02d%04d", Math.floorMod(tag.hashCode(), 100), n % 10_000);
  }

  /** send.execute for message n, approved on stdin, JSON on stdout. */
  List<String> execute(int n, String... more) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "send.execute", "--channel", mode.channel, "--message-type", "order_ready", "--to", recipient(n),
                "--consent-state", mode.channel.equals("email") ? "implied" : "opted-in", "--vars-json", VARS,
                "--idempotency-key", key(n), "--execute", "-o", "json"));
    a.addAll(List.of(more));
    return a;
  }

  /** comms in this JVM through the real parser, on this lane's outbox and contracts. */
  CliRun cli() {
    CliRun c = new CliRun(outbox);
    env.forEach(c::env);
    return c;
  }

  /** comms in its own JVM on this lane's outbox and contracts. */
  CommsProcess process(List<String> args) {
    return CommsProcess.comms(args).env(env);
  }
}
