package comms.cli.commands.send;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.ProvidersContract;
import comms.core.contract.StackContract;
import comms.core.provider.GraphMailbox;
import comms.core.provider.ProviderException;
import comms.core.stack.ParityCheck;
import comms.core.stack.StackStatus;
import java.util.List;

/** The live Graph probe stack.status runs in live-pilot mode: the first active pilot mailbox's user resource. */
public final class LiveProbe {
  private LiveProbe() {}

  /** The probe's check (none outside live-pilot) and the exit code it means when it fails. */
  public record Outcome(List<ParityCheck> checks, ExitCode onFailure) {}

  static final String NAME = "graph probe";

  public static Outcome run(App app, StackStatus.Report report) {
    if (!"live-pilot".equals(report.sendTestMode())) {
      return new Outcome(List.of(), ExitCode.PROVIDER);
    }
    StackContract.Mailbox mailbox = null;
    try {
      StackContract stack = app.bindings().stack();
      ProvidersContract.Provider graph = LiveAdapters.pilotProvider(stack, app.bindings().providers());
      List<StackContract.Mailbox> active = stack.pilot().activeMailboxes();
      if (active.isEmpty()) {
        return failed("cannot probe: no active pilot mailbox; set active: true on one in pilot.mailboxes[]", ExitCode.CONTRACT);
      }
      mailbox = active.get(0);
      GraphMailbox.Probe p = LiveAdapters.of(app).mailbox(graph).probe(mailbox.address());
      String who = p.displayName() == null || p.displayName().isBlank() ? "user " + p.id() : p.displayName() + " (user " + p.id() + ")";
      return new Outcome(
          List.of(ParityCheck.pass(NAME, mailbox.address() + " answered through " + graph.baseUrl() + ": " + who)), ExitCode.PROVIDER);
    } catch (ProviderException e) {
      return failed(e.getMessage(), ExitCode.PROVIDER);
    } catch (CommsException e) {
      // missing secrets or a contract that cannot be probed: a configuration problem, not Graph's
      return failed("cannot probe" + (mailbox == null ? "" : " " + mailbox.address()) + ": " + e.getMessage(), e.exitCode());
    }
  }

  private static Outcome failed(String reason, ExitCode code) {
    return new Outcome(List.of(ParityCheck.fail(NAME, reason, null)), code);
  }
}
