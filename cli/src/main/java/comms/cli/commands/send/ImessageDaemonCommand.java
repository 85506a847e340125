package comms.cli.commands.send;

import comms.cli.App;
import comms.cli.commands.serve.AuthTokenCommand;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.cli.serve.DaemonClient;
import comms.cli.serve.DaemonTokens;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.ProvidersContract;
import comms.core.imessage.ChatDbInbound;
import comms.core.imessage.ImessageDaemon;
import comms.core.imessage.InboundTexts;
import comms.core.imessage.OsascriptImessage;
import comms.core.imessage.PhoneTransport;
import comms.core.imessage.TwilioTransport;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms imessage.daemon --server URL`: the Mac-side loop that carries queued iMessages from comms serve to Messages.app. */
@Command(
    name = "imessage.daemon",
    description = {
      "Carry queued iMessages from comms serve to Messages.",
      "Every --interval it asks the Worker (GET /api/imessage/outbound/pending, as the daemon: a token signed with COMMS_IMESSAGE_DAEMON_SECRET) for the texts pacing, hours and caps allow, sends each through osascript and Messages.app (or Twilio SMS with --transport twilio), reports it sent or failed, then reads new inbound texts from Messages' chat.db and passes them to the Worker, which revokes consent on STOP.",
      "Run it on the Mac as a LaunchAgent; --passes 1 polls once (for checks and tests)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms imessage.daemon --server http://127.0.0.1:1 --passes 1   # exit 3",
      "  comms imessage.daemon --server ftp://mac.example.com --passes 1   # exit 2"
    })
public final class ImessageDaemonCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--server", required = true, paramLabel = "URL", description = "The Worker (comms serve), such as https://comms.example.com.")
  String server;

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s", description = "Time between polls: 10s, 1m (default ${DEFAULT-VALUE}).")
  String interval;

  @Option(names = "--passes", paramLabel = "N", defaultValue = "0", description = "Stop after N polls (default 0: keep polling).")
  int passes;

  @Option(names = "--transport", paramLabel = "KIND", defaultValue = "imessage", description = "imessage (osascript and Messages.app) or twilio (SMS through the providers contract's Twilio).")
  String transport;

  @Option(names = "--osascript", paramLabel = "PROGRAM", defaultValue = "osascript", description = "The osascript to run (default: osascript on PATH).")
  String osascript;

  @Option(names = "--chat-db", paramLabel = "PATH", description = "Messages' database to read inbound texts from (default ~/Library/Messages/chat.db; none: do not read inbound).")
  String chatDb;

  @Option(names = "--daemon-id", paramLabel = "NAME", description = "How this daemon names itself in its token and the health report (default imessage-daemon).")
  String daemonId = "imessage-daemon";

  record DaemonView(String server, String transport, int passes, ImessageDaemon.Poll totals) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("server", server);
      m.put("transport", transport);
      m.put("passes", passes);
      m.put("sent", totals.sent());
      m.put("failed", totals.failed());
      m.put("inbound", totals.inbound());
      m.put("opt_outs", totals.optOuts());
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.heading("imessage daemon: " + passes + " poll" + (passes == 1 ? "" : "s") + " of " + server + " by " + transport);
      p.fields("sent", String.valueOf(totals.sent()), "failed", String.valueOf(totals.failed()), "inbound", String.valueOf(totals.inbound()),
          "opt-outs", String.valueOf(totals.optOuts()));
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    App app = App.of(spec);
    if (passes < 0) {
      throw CommsException.usage("--passes " + passes + " must be 0 (keep polling) or more");
    }
    Duration every = interval(interval);
    URI base;
    try {
      base = new URI(server.strip().endsWith("/") ? server.strip() : server.strip() + "/");
    } catch (java.net.URISyntaxException e) {
      throw CommsException.usage("--server '" + server + "' is not a URL such as https://comms.example.com");
    }
    if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme())) {
      throw CommsException.usage("--server '" + server + "' must be an http:// or https:// URL");
    }
    DaemonTokens tokens = DaemonTokens.from(app.env(), app.clock());
    PhoneTransport carrier = transport(app);
    InboundTexts inbound = "none".equals(chatDb) ? null : new ChatDbInbound(chatDb == null ? Path.of(System.getProperty("user.home"), "Library", "Messages", "chat.db") : Path.of(chatDb));
    ImessageDaemon daemon = new ImessageDaemon(new DaemonClient(base, tokens, daemonId), carrier, inbound, line -> {
      app.err().println("imessage.daemon: " + line);
      app.err().flush();
    });
    ImessageDaemon.Poll totals = daemon.run(passes, every, ImessageDaemon.Pause.REAL);
    app.render(new DaemonView(base.toString(), carrier.name(), passes, totals));
    return totals.failed() > 0 ? ExitCode.PROVIDER.code() : 0;
  }

  /** 10s or 1m: more than zero, at most 10 minutes. */
  static Duration interval(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,4})([sm])").matcher(text.strip());
    if (!m.matches()) {
      throw CommsException.usage("--interval '" + text + "' must be seconds or minutes such as 10s or 1m");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
    if (d.isZero() || d.compareTo(Duration.ofMinutes(10)) > 0) {
      throw CommsException.usage("--interval " + text + " is out of range: more than 0 and at most 10 minutes");
    }
    return d;
  }

  private PhoneTransport transport(App app) {
    switch (transport) {
      case "imessage":
        return new OsascriptImessage(osascript, Duration.ofSeconds(30), app.env());
      case "twilio":
        ProvidersContract.Provider twilio =
            app.bindings().providers().providers().stream().filter(p -> p.kind().equals("twilio")).findFirst()
                .orElseThrow(() -> new CommsException(ExitCode.CONTRACT, "--transport twilio needs a twilio provider in " + ProvidersContract.FILE));
        return new TwilioTransport(comms.cli.commands.send.LiveAdapters.of(app).provider(twilio), twilio.from());
      default:
        throw CommsException.usage("--transport '" + transport + "' must be imessage or twilio");
    }
  }
}
