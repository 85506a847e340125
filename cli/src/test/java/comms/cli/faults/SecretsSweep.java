package comms.cli.faults;

import comms.cli.CliRun;
import comms.core.provider.FakeAuthority;
import comms.core.provider.LiveFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 7, promise 5: live-mode runs with sentinel secrets in the environment, successful and
 * failing (a provider that refuses the credentials and quotes them back, one that fails with 500s
 * until the delivery is dead-lettered, one that never answers), each with {@code --verbose}, as
 * separate processes so everything the JVM prints is seen, and the read-only commands that show
 * the evidence afterwards. Then every byte printed and every file in the outbox (the SQLite files
 * included) is searched for each secret, in the forms a leak would take: the raw value, the Basic
 * credentials Twilio's SDK builds from two of them, and the Bearer header.
 *
 * <p>"No audit payload contains a recipient in clear": every row of the audit log (the
 * {@code audit_log} table of the outbox's SQLite store) is read back through SQL, and every column
 * searched for every recipient the sweep sent to, as typed and in its bare digits; the raw bytes of
 * the database are searched for the secrets like every other file.
 */
final class SecretsSweep {
  /** The figures of one pass. */
  static final class Figures {
    int runs;
    int processRuns;
    int filesSearched;
    long bytesSearched;
    int leaks;
    int recipientsInAudit;
    int auditRows;
    int recipientsSearched;
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    String summary() {
      return "secrets: " + runs + " live-mode runs (" + processRuns + " as separate processes with --verbose, success and failure paths) with "
          + LiveFixtures.SECRETS.size() + " sentinel secrets in the environment; " + filesSearched + " outbox files and "
          + bytesSearched / 1024 + " KB of output searched: " + leaks + " leaks; audit payloads: "
          + auditRows + " audit rows searched for " + recipientsSearched + " recipients: " + recipientsInAudit + " in clear";
    }
  }

  /** Every form in which a sentinel could leak. */
  static Map<String, String> forms() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String s : LiveFixtures.SECRETS) {
      m.put(s, "the value");
    }
    String basic = Base64.getEncoder().encodeToString((LiveFixtures.TWILIO_SID + ":" + LiveFixtures.TWILIO_TOKEN).getBytes(StandardCharsets.UTF_8));
    m.put(basic, "Twilio's Basic credentials");
    m.put(basic.substring(0, 24), "the start of Twilio's Basic credentials");
    m.put("Bearer " + LiveFixtures.RESEND_KEY, "Resend's Bearer header");
    m.put(FakeAuthority.TOKEN, "the Graph access token");
    return m;
  }

  private final Path dir;
  private final List<String> printed = Collections.synchronizedList(new ArrayList<>());
  private final List<String> recipients = Collections.synchronizedList(new ArrayList<>());

  SecretsSweep(Path dir) {
    this.dir = dir;
  }

  Figures run() throws Exception {
    Figures f = new Figures();
    Path outbox = dir.resolve("outbox");
    // Four groups, each against its own loopback provider and token authority, side by side.
    List<java.util.concurrent.Callable<Void>> groups =
        List.of(
            () -> group(f, "ok", outbox, (server, authority) -> {}, 0, 0),
            () -> group(f, "echo", outbox, (server, authority) -> server.echoCredentials().failWith(401), 6, 6),
            () -> group(f, "fail", outbox, (server, authority) -> server.echoCredentials().failWith(500), 6, 6),
            () -> group(f, "token", outbox, (server, authority) -> authority.refuse(), 0, 6));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      for (java.util.concurrent.Future<Void> g : pool.invokeAll(groups)) {
        g.get();
      }
    } finally {
      pool.shutdownNow();
    }

    // What shows the evidence afterwards, in-process.
    CliRun cli = new CliRun(outbox).bindings(CliRun.SAMPLE_BINDINGS).env("COMMS_NOW", Lane.DAYTIME);
    LiveFixtures.env().forEach(cli::env);
    for (List<String> args :
        List.of(
            List.of("provider.status"), List.of("provider.status", "-o", "json"), List.of("delivery.log", "-o", "json"),
            List.of("delivery.log", "--status", "failed"), List.of("delivery.log", "--verify"), List.of("receipts.list", "-o", "yaml"))) {
      CliRun.Result r = cli.run(args.toArray(String[]::new));
      f.runs++;
      printed.add(r.out());
      printed.add(r.err());
    }
    for (String key : new comms.core.receipt.Receipts(outbox).list(100)) {
      CliRun.Result r = cli.run("receipts.show", key, "-o", "json");
      f.runs++;
      printed.add(r.out());
      printed.add(r.err());
    }
    sweep(f, outbox);
    return f;
  }

  /** How a group's provider and token authority misbehave. */
  @FunctionalInterface
  interface Fault {
    void apply(LoopbackProviders server, FakeAuthority authority);
  }

  /**
   * An SMS, an email, a pilot test send and a probe of the pilot mailbox, each its own process with
   * --verbose, against a provider and token authority that misbehave as {@code fault} says.
   */
  private Void group(Figures f, String name, Path outbox, Fault fault, int sendExit, int graphExit) throws IOException {
    try (LoopbackProviders server = new LoopbackProviders();
        FakeAuthority authority = new FakeAuthority()) {
      Lane sms = new Lane(dir.resolve(name + "-sms"), "s" + name, Lane.Mode.LIVE_TWILIO, server);
      // Its own tag: the two lanes share one outbox, and a key means one message (an SMS and an email are two).
      Lane email = new Lane(dir.resolve(name + "-email"), "e" + name, Lane.Mode.LIVE_RESEND, server);
      Path pilot = pilotBindings(dir.resolve(name + "-pilot"), sms.bindings, server.url() + "/v1.0", authority.url());
      Map<String, String> env = new LinkedHashMap<>(sms.env());
      env.put("COMMS_BINDINGS", pilot.toString());
      env.put("COMMS_OUTBOX", outbox.toString());
      fault.apply(server, authority);
      process(f, env, sms.execute(sms.next(), "--verbose"), sendExit, sms);
      process(f, env, email.execute(email.next(), "--verbose"), sendExit, email);
      process(f, env, List.of("mail.send.test", "--to", "dana@lakesideprint.com", "--subject", "pilot", "--body", "hello", "--execute", "--verbose"), graphExit, null);
      process(f, env, List.of("stack.status", "--verbose"), graphExit, null);
    }
    return null;
  }

  private void process(Figures f, Map<String, String> env, List<String> args, int exit, Lane lane) {
    CommsProcess.Result r = CommsProcess.comms(args).env(env).stdin("yes\n").run();
    synchronized (f) {
      f.runs++;
      f.processRuns++;
    }
    printed.add(r.out());
    printed.add(r.err());
    if (r.exit() != exit) {
      f.problems.add(String.join(" ", args) + ": exit " + r.exit() + ", expected " + exit + "\n" + r);
    }
    if (lane != null) {
      int i = args.indexOf("--to");
      recipients.add(args.get(i + 1));
    }
  }

  private void sweep(Figures f, Path outbox) throws IOException {
    Map<String, String> forms = forms();
    for (String text : printed) {
      f.bytesSearched += text.length();
      check(f, "printed output", text, forms);
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(outbox)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path p : files) {
      // ISO-8859-1 keeps every byte, so a secret inside the SQLite pages is found as well.
      String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
      f.filesSearched++;
      check(f, outbox.relativize(p).toString(), text, forms);
    }
    audit(f, outbox);
  }

  /** Every audit row, every column, searched for every recipient in clear (as typed, and in bare digits). */
  private void audit(Figures f, Path outbox) throws IOException {
    Path db = new comms.core.outbox.OutboxPaths(outbox).store();
    if (!Files.isRegularFile(db)) {
      f.problems.add("no state store at " + db + ": the runs left no audit log to search");
      return;
    }
    List<String> forms = new ArrayList<>();
    for (String r : new java.util.LinkedHashSet<>(recipients)) {
      forms.add(r);
      if (r.startsWith("+")) {
        forms.add(r.substring(1));
      }
    }
    f.recipientsSearched = new java.util.HashSet<>(recipients).size();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT * FROM audit_log ORDER BY id")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        f.auditRows++;
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(rs.getString(i)).append('\t');
        }
        for (String r : forms) {
          if (row.indexOf(r) >= 0) {
            f.recipientsInAudit++;
            f.problems.add("audit row " + rs.getLong("id") + " holds the recipient " + r + " in clear: " + row);
          }
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IOException("could not read the audit log in " + db + ": " + e.getMessage(), e);
    }
  }

  private static void check(Figures f, String where, String text, Map<String, String> forms) {
    for (Map.Entry<String, String> form : forms.entrySet()) {
      if (text.contains(form.getKey())) {
        f.leaks++;
        int at = text.indexOf(form.getKey());
        String around = text.substring(Math.max(0, at - 200), Math.min(text.length(), at + form.getKey().length() + 100));
        f.problems.add(where + " contains " + form.getValue() + ": …" + around + "…");
      }
    }
  }

  /** The live contracts with the mailbox pilot live too: Graph at the loopback, tokens from the fake authority. */
  static Path pilotBindings(Path b, Path live, String graphBase, String authorityUrl) throws IOException {
    Files.createDirectories(b);
    try (Stream<Path> s = Files.walk(live)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = b.resolve(live.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    CliRun.edit(b, "communications.stack.contract.yaml", "mode: simulation", "mode: live-pilot");
    CliRun.edit(b, "communications.providers.contract.yaml", "base_url: https://graph.microsoft.com/v1.0", "base_url: " + graphBase);
    CliRun.edit(b, "communications.providers.contract.yaml", "authority_url: https://login.microsoftonline.com",
        "authority_url: " + authorityUrl + "\n    connect_timeout_ms: 2000\n    read_timeout_ms: 15000");
    return b;
  }
}
