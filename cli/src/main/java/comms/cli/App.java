package comms.cli;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Bindings;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What one invocation runs with: its streams, environment, clock and the global options. Commands
 * reach it through {@link #of(CommandSpec)}; nothing reads System.* or the wall clock directly.
 */
public final class App {
  /** Set to 1, every live mode in the contracts is read as simulation (certify's inner runs use it). */
  public static final String SIMULATION_ONLY = "COMMS_SIMULATION_ONLY";

  final InputStream in;
  final PrintWriter out;
  final PrintWriter err;
  final Map<String, String> env;
  final GlobalOptions options;
  private Bindings bindings;
  private Clock clock;
  /** What this run did, for its receipt. */
  final RunRecord run = new RunRecord();

  App(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
    this.options = new GlobalOptions();
  }

  private App(App parent) {
    this.in = java.io.InputStream.nullInputStream();
    this.out = parent.out;
    this.err = parent.err;
    this.env = parent.env;
    this.options = parent.options;
    this.bindings = parent.bindings();
    this.clock = parent.clock();
    this.request = true;
  }

  /**
   * One request of {@code comms serve}: the same environment, options, contracts and clock as this run,
   * its own connection to the store (closed with {@link #close()}) and its own run key. It acts only for
   * the identity its request authenticated ({@link #actAs}), never for --as or the default operator. The
   * same services the commands use then run for it, so the API never has a second copy of a rule.
   */
  public App forRequest() {
    return new App(this);
  }

  /** True for an invocation made by {@link #forRequest()}. */
  private boolean request;

  /**
   * Sets who a request acts for, once: the operator its token or session names. Its store (this
   * request's own connection) then acts for that operator, so on PostgreSQL row-level security shows
   * the request only their rows (an admin all), whatever the request runs concurrently with.
   */
  public synchronized void actAs(comms.core.operator.Identity who) {
    actAs(who, false);
  }

  /**
   * Sets who a request of the comms service itself acts for (a webhook, the iMessage daemon): {@code who}
   * names its audit rows, but its store acts for every operator, as the worker's does.
   */
  public synchronized void actAsService(comms.core.operator.Identity who) {
    actAs(who, true);
  }

  private void actAs(comms.core.operator.Identity who, boolean service) {
    if (!request || identity != null) {
      throw new IllegalStateException("only a request's invocation is given its identity, once");
    }
    identity = java.util.Objects.requireNonNull(who);
    store().actingAs(service ? null : who.rowScope());
  }

  public static App of(CommandSpec spec) {
    return ((CommsCommand) spec.root().userObject()).app;
  }

  public InputStream in() {
    return in;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public Map<String, String> env() {
    return env;
  }

  /** This run's key (sortable by time, unique across processes); every artifact of the run carries it. */
  public String runKey() {
    return run.key();
  }

  /** Notes the mode (simulation, live, live-pilot) this run acted in, for its receipt. */
  public void mode(String mode) {
    run.mode = mode;
  }

  /** Notes the approval outcome (approved, declined, not-asked), for its receipt. */
  public void approval(String outcome) {
    run.approval = outcome;
  }

  /** Adds a command-specific section to this run's receipt. */
  public void receiptSection(String key, Object value) {
    run.extra.put(key, value);
  }

  /** Notes a file this run wrote, for its receipt. */
  public void artifact(Path written) {
    run.artifacts.add(written);
  }

  public GlobalOptions options() {
    return options;
  }

  public boolean verbose() {
    return options.verbose;
  }

  private comms.core.outbox.OutboxPaths outboxPaths;
  private comms.core.store.Store store;

  /** The outbox's evidence paths. */
  public synchronized comms.core.outbox.OutboxPaths outbox() {
    if (outboxPaths == null) {
      outboxPaths = new comms.core.outbox.OutboxPaths(outboxDir());
    }
    return outboxPaths;
  }

  /**
   * The state store, opened on first use and closed when the run ends: the SQLite file in the outbox,
   * or the PostgreSQL database bindings/communications.store.yaml (or COMMS_STORE_URL) names.
   */
  public synchronized comms.core.store.Store store() {
    if (store == null) {
      store = comms.core.store.Store.open(comms.core.store.StoreContract.resolve(bindingsDir(), outbox().store(), env));
    }
    return store;
  }

  /** The delivery journal; its warnings (a torn tail repaired) go to stderr. */
  public comms.core.outbox.DeliveryJournal journal() {
    return comms.core.outbox.DeliveryJournal.of(outbox(), w -> warn(w));
  }

  /** The evidence an executing command writes: journal, last artifacts, store. Files it writes go in the receipt. */
  public synchronized comms.core.delivery.Evidence evidence() {
    if (evidence == null) {
      evidence = new comms.core.delivery.Evidence(outbox(), journal(), store(), FaultInjection.from(env));
    }
    return evidence;
  }

  private comms.core.delivery.Evidence evidence;

  /** Files this run wrote, for its receipt. */
  synchronized java.util.List<Path> written() {
    java.util.List<Path> all = new java.util.ArrayList<>(run.artifacts);
    if (evidence != null) {
      evidence.written().stream().filter(p -> !all.contains(p)).forEach(all::add);
    }
    return all;
  }

  private comms.core.operator.Identity identity;

  /** The operators roster: the store's, with the operators contract's not seeded yet. Reading it creates nothing. */
  public comms.core.store.Roster roster() {
    return comms.core.store.Roster.of(store(), bindings().operators());
  }

  /**
   * Who this run acts for: --as, else COMMS_OPERATOR, else the contract's default operator, with
   * --actor for an agent. Commands that act for an operator ask for it first, so an unknown or
   * inactive operator is refused (exit 3) before anything else runs.
   */
  public synchronized comms.core.operator.Identity identity() {
    if (identity == null && request) {
      throw new IllegalStateException("a request acts only for the operator it authenticated");
    }
    if (identity == null) {
      identity = comms.core.operator.Identity.resolve(roster(), options.as, env.get("COMMS_OPERATOR"), options.actor, System.getProperty("user.name"));
      // On PostgreSQL row-level security then shows this run only its operator's rows (an admin all); SQLite ignores it.
      store().actingAs(identity.rowScope());
    }
    return identity;
  }

  /** The identity once resolved, else null (for the receipt). */
  synchronized comms.core.operator.Identity resolvedIdentity() {
    return identity;
  }

  /** This run's audit trail, for its identity. */
  public comms.core.operator.AuditTrail audit() {
    return new comms.core.operator.AuditTrail(store(), roster(), identity(), runKey(), clock());
  }

  /**
   * Why this run ends with {@code code}, on stderr: the sentence in table mode; with --output json or
   * yaml the one JSON error object the exception handler also writes, so stderr stays machine-readable.
   */
  public void why(ExitCode code, String message) {
    err.println(comms.cli.output.ErrorReport.line(options.output, code, message, null, null));
    err.flush();
  }

  /** A warning on stderr. */
  public void warn(String message) {
    err.println("comms: warning: " + message);
    err.flush();
  }

  /** The stdin approval prompt, recording its outcome for the receipt. */
  public comms.core.delivery.Approver approver() {
    return summary -> {
      ApprovalPrompt.Answer a = new ApprovalPrompt(in, err).ask(summary);
      approval(a.approved() ? "approved" : "declined");
      return a.approved();
    };
  }

  /** Closes the store connection this invocation opened, if any. */
  public synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  /** Renders a command's result on stdout in the chosen format. */
  public void render(comms.cli.output.View view) {
    comms.cli.output.Renderer.render(view, options.output, out, color());
  }

  /** Colour only for a person at a terminal who has not asked for NO_COLOR. */
  public boolean color() {
    return Comms.colorAllowed(this) && options.output == comms.cli.output.Format.table && System.console() != null;
  }

  /** The contracts folder: --bindings, else COMMS_BINDINGS, else ./bindings. */
  public Path bindingsDir() {
    if (options.bindings != null) {
      return options.bindings;
    }
    String e = env.get("COMMS_BINDINGS");
    return Path.of(e == null || e.isBlank() ? "bindings" : e);
  }

  public synchronized Bindings bindings() {
    if (bindings == null) {
      bindings = Bindings.open(bindingsDir());
      if ("1".equals(env.get(SIMULATION_ONLY))) {
        bindings.simulationOnly();
      }
    }
    return bindings;
  }

  /** The outbox: --outbox, else COMMS_OUTBOX, else SPINE_OUTBOX, else ./outbox. */
  public Path outboxDir() {
    if (options.outbox != null) {
      return options.outbox;
    }
    for (String k : new String[] {"COMMS_OUTBOX", "SPINE_OUTBOX"}) {
      String e = env.get(k);
      if (e != null && !e.isBlank()) {
        return Path.of(e);
      }
    }
    return Path.of("outbox");
  }

  /** The system clock, or the instant in COMMS_NOW when set (for tests and planning). */
  public synchronized Clock clock() {
    if (clock == null) {
      String now = env.get("COMMS_NOW");
      if (now == null || now.isBlank()) {
        clock = Clock.systemUTC();
      } else {
        try {
          clock = Clock.fixed(Instant.parse(now.trim()), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          throw new CommsException(
              ExitCode.USAGE, "COMMS_NOW='" + now + "' is not an ISO-8601 instant such as 2026-11-22T15:00:00Z");
        }
      }
    }
    return clock;
  }
}
