package comms.core.imessage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The Mac-side loop: every interval it asks the Worker for the texts that may go now, hands each to
 * the transport and reports it sent or failed, then reads the inbound texts and passes each to the
 * Worker, which revokes consent on an opt-out. The Worker does the pacing, hours and caps; the daemon
 * only carries texts. Waiting between polls is injected ({@link Pause}), so tests never sleep.
 */
public final class ImessageDaemon {
  /** The Worker's iMessage endpoints as the daemon calls them. */
  public interface WorkerApi {
    /** GET /api/imessage/outbound/pending. */
    List<Outbound> pending();

    /** POST /api/imessage/outbound/{id}/sent. */
    void sent(String id);

    /** POST /api/imessage/outbound/{id}/failed with the reason. */
    void failed(String id, String error);

    /** POST /api/imessage/inbound: one text received; the Worker's answer (its action). */
    Map<String, Object> inbound(String from, String body);
  }

  /** A text to send: its queue id, number and body. */
  public record Outbound(String id, String phone, String body) {}

  /** How the loop waits between polls. */
  @FunctionalInterface
  public interface Pause {
    void sleep(Duration d) throws InterruptedException;

    Pause REAL = d -> Thread.sleep(d.toMillis());
  }

  /** What one poll did. */
  public record Poll(int sent, int failed, int inbound, int optOuts) {}

  private final WorkerApi api;
  private final PhoneTransport transport;
  private final InboundTexts inbound;
  private final Consumer<String> log;

  public ImessageDaemon(WorkerApi api, PhoneTransport transport, InboundTexts inbound, Consumer<String> log) {
    this.api = Objects.requireNonNull(api);
    this.transport = Objects.requireNonNull(transport);
    this.inbound = inbound;
    this.log = log == null ? s -> {} : log;
  }

  /** One poll: send what is pending, report each, then read inbound texts. */
  public Poll once() {
    int sent = 0;
    int failed = 0;
    for (Outbound o : api.pending()) {
      try {
        if (transport instanceof TwilioTransport t) {
          t.send(o.id(), o.phone(), o.body());
        } else {
          transport.send(o.phone(), o.body());
        }
      } catch (PhoneTransport.TransportFailure e) {
        api.failed(o.id(), transport.name() + ": " + e.getMessage());
        log.accept("failed " + o.id() + " (" + e.getMessage() + ")");
        failed++;
        continue;
      }
      api.sent(o.id());
      log.accept("sent " + o.id() + " by " + transport.name());
      sent++;
    }
    int seen = 0;
    int optOuts = 0;
    if (inbound != null) {
      for (InboundTexts.Text t : inbound.poll()) {
        seen++;
        Map<String, Object> answer = api.inbound(t.from(), t.body());
        if ("opt_out".equals(answer.get("action"))) {
          optOuts++;
          log.accept("opt-out received (" + t.id() + "); consent revoked by the Worker");
        }
      }
    }
    return new Poll(sent, failed, seen, optOuts);
  }

  /** Polls {@code passes} times (0: until interrupted), {@code interval} apart; the totals. */
  public Poll run(int passes, Duration interval, Pause pause) throws InterruptedException {
    int s = 0;
    int f = 0;
    int i = 0;
    int o = 0;
    for (int n = 1; passes == 0 || n <= passes; n++) {
      Poll p;
      try {
        p = once();
      } catch (RuntimeException e) {
        if (passes != 0) {
          throw e;
        }
        // Running for good (a LaunchAgent): a Worker that is restarting or a network blip is waited out.
        log.accept("poll failed: " + e.getMessage() + "; trying again in " + interval.toSeconds() + " s");
        pause.sleep(interval);
        continue;
      }
      s += p.sent();
      f += p.failed();
      i += p.inbound();
      o += p.optOuts();
      if (passes == 0 || n < passes) {
        pause.sleep(interval);
      }
    }
    return new Poll(s, f, i, o);
  }
}
