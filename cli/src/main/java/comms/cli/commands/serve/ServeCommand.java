package comms.cli.commands.serve;

import comms.cli.App;
import comms.cli.serve.BearerTokens;
import comms.cli.serve.WorkerServer;
import comms.core.CommsException;
import comms.core.ExitCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms serve`: the Worker HTTP API, the dashboard and AGENTS.md, until SIGTERM. */
@Command(
    name = "serve",
    description = {
      "Serve the Worker API, its dashboard and AGENTS.md.",
      "Every call carries an operator's bearer token (HS256 with the secret in COMMS_JWT_SECRET, at most 15 minutes) and runs the same services as the sequence.* and audit commands, with the same approval gates cited in an X-Approval header.",
      "Listens on loopback only, unless --behind-tls-proxy says a TLS reverse proxy fronts it. SIGTERM stops it cleanly: no new connections, requests in flight finish.",
      "Prints the address it listens on; GET /AGENTS.md lists the endpoints and rules."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  comms serve --listen 10.0.0.5:8787   # exit 2"})
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8787", description = "Where to listen (default ${DEFAULT-VALUE}; port 0 picks a free one).")
  String listen;

  @Option(names = "--behind-tls-proxy", description = "A TLS reverse proxy fronts this server: allow a non-loopback address, and mark cookies Secure.")
  boolean behindTls;

  @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "2097152", description = "The largest request body accepted (default ${DEFAULT-VALUE}).")
  int maxBody;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "8", description = "Requests answered at once (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--drain-seconds", paramLabel = "S", defaultValue = "20", description = "How long a shutdown waits for requests in flight (default ${DEFAULT-VALUE}).")
  int drainSeconds;

  @Override
  public Integer call() throws InterruptedException {
    App app = App.of(spec);
    InetSocketAddress address = address(listen, behindTls);
    if (maxBody < 1024 || threads < 1 || threads > 256 || drainSeconds < 1) {
      throw CommsException.usage("--max-body-bytes must be at least 1024, --threads 1-256 and --drain-seconds at least 1");
    }
    BearerTokens tokens = BearerTokens.from(app.env(), app.clock()).with(app.bindings().operators().apiTokens());
    WorkerServer server;
    try {
      server = WorkerServer.start(app, new WorkerServer.Settings(address, behindTls, maxBody, threads, Duration.ofSeconds(drainSeconds)), tokens);
    } catch (IOException e) {
      throw new CommsException(ExitCode.CONTRACT, "cannot listen on " + listen + " (" + e.getMessage() + "); is another server on that port? Choose another with --listen");
    }
    InetSocketAddress bound = server.address();
    app.out().println("comms serve: listening on http://" + host(bound) + ":" + bound.getPort() + " (GET /AGENTS.md for the endpoints; SIGTERM or Ctrl-C stops it)");
    app.out().flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      app.err().println("comms serve: stopped");
      app.err().flush();
      stopped.countDown();
    }, "comms-serve-shutdown"));
    stopped.await();
    return 0;
  }

  /** HOST:PORT, refused (exit 2) when unparsable, or not loopback without --behind-tls-proxy. */
  static InetSocketAddress address(String listen, boolean behindTls) {
    int colon = listen.lastIndexOf(':');
    if (colon <= 0 || colon == listen.length() - 1) {
      throw CommsException.usage("--listen '" + listen + "' must be HOST:PORT, such as 127.0.0.1:8787");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw CommsException.usage("--listen '" + listen + "': the port is not a number");
    }
    if (port < 0 || port > 65535) {
      throw CommsException.usage("--listen '" + listen + "': the port must be 0-65535");
    }
    InetAddress ip;
    try {
      ip = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw CommsException.usage("--listen '" + listen + "': " + host + " is not an address this machine can resolve");
    }
    if (!ip.isLoopbackAddress() && !behindTls) {
      throw CommsException.usage(
          "--listen " + listen + " is not a loopback address; comms serve speaks plain HTTP, so it listens on 127.0.0.1 unless a TLS reverse proxy fronts it"
              + " (then add --behind-tls-proxy)");
    }
    return new InetSocketAddress(ip, port);
  }

  private static String host(InetSocketAddress a) {
    String h = a.getAddress().getHostAddress();
    return h.contains(":") ? "[" + h + "]" : h;
  }
}
