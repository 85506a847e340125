package comms.cli.faults;

import comms.cli.CliRun;
import comms.core.Recipients;
import comms.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Issue 7, promise 4: the hostile-input corpus. Bad contracts and bad arguments come from
 * {@code src/test/resources/hostile/} (each entry states its exit code and a piece of its message);
 * refused recipients come straight from the public corpora in {@code shared/peers/corpora} (read
 * there, never copied). Every entry runs through the real parser against an outbox that already
 * holds a real send, and the whole outbox tree is hashed before and after: a refused run must leave
 * it byte-identical.
 */
final class HostileCorpus {
  /** One hostile entry: what to run and what comms must answer. */
  record Entry(String source, String name, List<String> args, Path bindings, Path scratch, boolean inProcessOnly, int exit, String message, String absent) {}

  /** What one entry did, when it did not do what its entry says. */
  record Miss(Entry entry, String why) {
    @Override
    public String toString() {
      return entry.source() + " / " + entry.name() + ": " + why;
    }
  }

  static final String VARS = Lane.VARS;
  static final String VARS4 = "{\"customer_name\":\"Ana\",\"order_number\":\"30020\",\"balance_amount\":\"150.00\",\"payment_link\":\"https://example.com/pay\"}";

  private final Path dir;
  final Path outbox;
  private final Path liveBindings;
  private int cases;

  HostileCorpus(Path dir) {
    this.dir = dir;
    this.outbox = dir.resolve("outbox");
    this.liveBindings = dir.resolve("live");
    try {
      Files.createDirectories(liveBindings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path b = CliRun.copyBindings(liveBindings);
    CliRun.edit(b, "communications.delivery.contract.yaml", "mode: simulation", "mode: live");
  }

  /** A real send, so the outbox has a log, a last document, a store and a receipt to keep intact. */
  void seedOutbox() {
    CliRun.Result r = cli(CliRun.SAMPLE_BINDINGS).stdin("yes\n").run(expand(List.of("$SEND", "$VARS"), null).toArray(String[]::new));
    if (r.exit() != 0) {
      throw new AssertionError("the seed send failed:\n" + r);
    }
  }

  CliRun cli(Path bindings) {
    return new CliRun(outbox).bindings(bindings).env("COMMS_NOW", Lane.DAYTIME);
  }

  // ------------------------------------------------------------------ the corpus files

  List<Entry> contracts() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Map<String, Object> e : yaml("contracts.yaml")) {
      Path scratch = scratch();
      Path bindings = CliRun.copyBindings(scratch);
      breakContract(bindings, e);
      @SuppressWarnings("unchecked")
      List<String> command = e.containsKey("command") ? (List<String>) e.get("command") : List.of("$SEND", "$VARS");
      out.add(entry("contracts.yaml", e, expand(command, scratch), bindings, scratch));
    }
    return out;
  }

  List<Entry> arguments() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (Map<String, Object> e : yaml("arguments.yaml")) {
      Path scratch = scratch();
      makeFiles(scratch, e);
      @SuppressWarnings("unchecked")
      List<String> args = (List<String>) e.get("args");
      out.add(entry("arguments.yaml", e, expand(args, scratch), CliRun.SAMPLE_BINDINGS, scratch));
    }
    return out;
  }

  private Entry entry(String source, Map<String, Object> e, List<String> args, Path bindings, Path scratch) {
    return new Entry(
        source, (String) e.get("name"), args, bindings, scratch, Boolean.FALSE.equals(e.get("process")),
        ((Number) e.get("exit")).intValue(), (String) e.get("message"), (String) e.get("absent"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> yaml(String file) throws IOException {
    try (InputStream in = HostileCorpus.class.getResourceAsStream("/hostile/" + file)) {
      if (in == null) {
        throw new AssertionError("hostile/" + file + " is not on the test classpath");
      }
      return (List<Map<String, Object>>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
    }
  }

  private Path scratch() throws IOException {
    return Files.createDirectories(dir.resolve("case-" + cases++));
  }

  @SuppressWarnings("unchecked")
  private static void breakContract(Path bindings, Map<String, Object> e) throws IOException {
    Path file = bindings.resolve((String) e.get("file"));
    if (e.containsKey("replace")) {
      List<String> r = (List<String>) e.get("replace");
      String s = Files.readString(file);
      if (!s.contains(r.get(0))) {
        throw new AssertionError(e.get("name") + ": " + file.getFileName() + " does not contain " + r.get(0));
      }
      Files.writeString(file, s.replace(r.get(0), r.get(1)));
    }
    if (e.containsKey("content")) {
      Files.writeString(file, (String) e.get("content"));
    }
    if (e.containsKey("truncate")) {
      byte[] b = Files.readAllBytes(file);
      Files.write(file, java.util.Arrays.copyOf(b, ((Number) e.get("truncate")).intValue()));
    }
    if (e.containsKey("append")) {
      Files.writeString(file, Files.readString(file) + e.get("append"));
    }
    if (Boolean.TRUE.equals(e.get("delete"))) {
      Files.delete(file);
    }
    if (Boolean.TRUE.equals(e.get("directory"))) {
      Files.delete(file);
      Files.createDirectory(file);
    }
    if (e.containsKey("link")) {
      Files.delete(file);
      Files.createSymbolicLink(file, Path.of((String) e.get("link")));
    }
    if (e.containsKey("bytes")) {
      Files.write(file, HexFormat.of().parseHex(((String) e.get("bytes")).replace(" ", "")));
    }
    if (e.containsKey("generate")) {
      generate(file, ((Number) e.get("generate")).longValue());
    }
    if (e.containsKey("generate-nesting")) {
      int depth = ((Number) e.get("generate-nesting")).intValue();
      Files.writeString(file, "version: 1\nconsent: " + "[".repeat(depth) + "]".repeat(depth) + "\n");
    }
  }

  /** A file of {@code bytes} bytes that starts like a contract and goes on with one long comment. */
  private static void generate(Path file, long bytes) throws IOException {
    byte[] head = "version: 1\ntemplates:\n# ".getBytes(StandardCharsets.UTF_8);
    byte[] fill = new byte[1 << 20];
    java.util.Arrays.fill(fill, (byte) 'x');
    try (OutputStream o = Files.newOutputStream(file)) {
      o.write(head);
      long left = bytes - head.length;
      while (left > 0) {
        int n = (int) Math.min(fill.length, left);
        o.write(fill, 0, n);
        left -= n;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void makeFiles(Path scratch, Map<String, Object> e) throws IOException {
    for (Map.Entry<String, Object> f : ((Map<String, Object>) e.getOrDefault("files", Map.of())).entrySet()) {
      Path p = scratch.resolve(f.getKey());
      if ("$LATIN1".equals(f.getValue())) {
        Files.write(p, "{\"customer_name\":\"Jos\u00e9\",\"order_number\":\"1\",\"pickup_window\":\"x\"}".getBytes(StandardCharsets.ISO_8859_1));
      } else {
        Files.writeString(p, (String) f.getValue());
      }
    }
    for (Map.Entry<String, Object> f : ((Map<String, Object>) e.getOrDefault("generate-file", Map.of())).entrySet()) {
      byte[] head = "{\"customer_name\":\"".getBytes(StandardCharsets.UTF_8);
      long bytes = ((Number) f.getValue()).longValue();
      try (OutputStream o = Files.newOutputStream(scratch.resolve(f.getKey()))) {
        o.write(head);
        byte[] fill = new byte[1 << 20];
        java.util.Arrays.fill(fill, (byte) 'a');
        for (long left = bytes - head.length; left > 0; left -= fill.length) {
          o.write(fill, 0, (int) Math.min(fill.length, left));
        }
      }
    }
    for (Map.Entry<String, Object> f : ((Map<String, Object>) e.getOrDefault("link-file", Map.of())).entrySet()) {
      Files.createSymbolicLink(scratch.resolve(f.getKey()), Path.of((String) f.getValue()));
    }
  }

  /** Replaces the corpus's shorthand words ($SEND, $VARS, $TMP/…) by the real arguments. */
  static List<String> expand(List<String> args, Path scratch) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      switch (a) {
        case "$SEND" -> out.addAll(List.of("send.execute", "--channel", "sms", "--message-type", "order_ready", "--to", "+13127001234",
            "--consent-state", "opted-in", "--execute"));
        case "$PREVIEW" -> out.addAll(List.of("send.preview", "--channel", "sms", "--message-type", "order_ready",
            "--consent-state", "opted-in", "--no-receipt"));
        case "$EMAIL" -> out.addAll(List.of("send.preview", "--channel", "email", "--message-type", "payment_needed",
            "--consent-state", "implied", "--no-receipt"));
        case "$VARS" -> out.addAll(List.of("--vars-json", VARS));
        case "$VARS4" -> out.addAll(List.of("--vars-json", VARS4));
        case "$DEEP" -> out.add("[".repeat(10_000) + "]".repeat(10_000));
        case "$LONG_NAME" -> out.add("{\"customer_name\":\"" + "a".repeat(100_000) + "\",\"order_number\":\"1\",\"pickup_window\":\"x\"}");
        case "$LONG_ADDRESS" -> out.add("a".repeat(10_000) + "@example.com");
        case "$LONG_KEY" -> out.add("k".repeat(300));
        default -> out.add(scratch != null && a.startsWith("$TMP") ? scratch + a.substring(4) : a);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ recipients from public corpora

  /** Our SMS syntax: a leading + and only digits, spaces and ().- after it (RecipientCheckTest's rule). */
  private static final Pattern SMS_SYNTAX = Pattern.compile("\\+[0-9 ().\\-]+");

  /** isemail addresses valid by the RFCs that comms refuses on purpose (see RecipientCheckTest). */
  private static final Set<String> VALID_BUT_REFUSED = Set.of("test@io", "test@xn--hxajbheg2az3al.xn--jxalpdlp");

  /**
   * Recipients the public corpora call invalid (or that comms refuses on purpose), as live previews:
   * each must be refused, naming the recipient, and write nothing: blocked by the recipient gate (exit
   * 4), or a usage error (exit 2) when it cannot be read as a number or an address at all. {@code
   * limit} takes an even spread of them.
   */
  @SuppressWarnings("unchecked")
  List<Entry> recipients(int limit) throws Exception {
    List<Entry> phones = new ArrayList<>();
    Map<String, Object> doc = Json.parseObject(Files.readString(peers("corpora/phone-numbers/libphonenumber_e164_vectors.json")));
    List<Map<String, Object>> cases = new ArrayList<>((List<Map<String, Object>>) doc.get("special"));
    for (Map<String, Object> r : (List<Map<String, Object>>) doc.get("regions")) {
      for (String k : List.of("example", "dropLastDigit", "appendDigit0", "withoutPlus")) {
        cases.add((Map<String, Object>) r.get(k));
      }
    }
    for (Map<String, Object> c : cases) {
      String in = (String) c.get("input");
      boolean refused = !Boolean.TRUE.equals(c.get("parses")) || !SMS_SYNTAX.matcher(Recipients.compatible(in)).matches() || !Boolean.TRUE.equals(c.get("isValid"));
      if (refused) {
        // Not a number at all (libphonenumber cannot read it, or it is not in our syntax): exit 2.
        boolean readable = Boolean.TRUE.equals(c.get("parses")) && SMS_SYNTAX.matcher(Recipients.compatible(in)).matches();
        phones.add(recipient("libphonenumber_e164_vectors.json", "sms", in, readable ? 4 : 2));
      }
    }
    List<Entry> emails = new ArrayList<>();
    byte[] xml = Files.readAllBytes(peers("corpora/email/isemail/tests.xml"));
    var tests = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getElementsByTagName("test");
    for (int i = 0; i < tests.getLength(); i++) {
      Element t = (Element) tests.item(i);
      String category = text(t, "category");
      String address = controls(text(t, "address"));
      // Surrounding spaces are the same as none, so " test@iana.org" is not hostile (RecipientCheckTest judges it as its bare self).
      boolean spaced = !address.equals(address.replaceAll("^ +| +$", ""));
      if (!spaced && !category.equals("ISEMAIL_DNSWARN") && (!category.equals("ISEMAIL_VALID_CATEGORY") || VALID_BUT_REFUSED.contains(address))) {
        emails.add(recipient("isemail tests.xml #" + t.getAttribute("id"), "email", address, emailExit(address)));
      }
    }
    for (String f : List.of("draft2020-12-email.json", "draft7-email.json")) {
      for (Object g : (List<Object>) Json.parse(Files.readString(peers("corpora/email/json-schema-test-suite/" + f)))) {
        for (Object o : (List<Object>) ((Map<String, Object>) g).get("tests")) {
          Map<String, Object> t = (Map<String, Object>) o;
          if (t.get("data") instanceof String address
              && (!Boolean.TRUE.equals(t.get("valid")) || address.startsWith("\"") || address.contains("@["))) {
            emails.add(recipient("json-schema-test-suite " + f, "email", address, emailExit(address)));
          }
        }
      }
    }
    return spread(phones, limit / 2 + limit % 2, emails, limit / 2);
  }

  /** An address with no '@' is no address at all: a usage error (exit 2); any other refused one is blocked (exit 4). */
  private static int emailExit(String address) {
    return Recipients.compatible(address).indexOf('@') < 0 ? 2 : 4;
  }

  private Entry recipient(String source, String channel, String to, int exit) {
    List<String> args =
        channel.equals("sms")
            ? List.of("send.preview", "--channel", "sms", "--message-type", "order_ready", "--to", to, "--consent-state", "opted-in",
                "--no-receipt", "--vars-json", VARS)
            : List.of("send.preview", "--channel", "email", "--message-type", "payment_needed", "--to", to, "--consent-state",
                "implied", "--no-receipt", "--vars-json", VARS4);
    return new Entry(source, "'" + to.replace("\r", "\\r").replace("\n", "\\n") + "'", args, liveBindings.resolve("bindings"), null, true, exit, "recipient", null);
  }

  private static List<Entry> spread(List<Entry> a, int na, List<Entry> b, int nb) {
    List<Entry> out = new ArrayList<>(take(a, na));
    out.addAll(take(b, nb));
    return out;
  }

  private static List<Entry> take(List<Entry> all, int n) {
    if (n >= all.size()) {
      return all;
    }
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) ((long) i * all.size() / n)));
    }
    return out;
  }

  private static String text(Element t, String tag) {
    NodeList n = t.getElementsByTagName(tag);
    return n.getLength() == 0 ? "" : n.item(0).getTextContent();
  }

  /** isemail writes control characters as U+2400 + code, since XML cannot hold them. */
  private static String controls(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(c -> sb.appendCodePoint(c >= 0x2400 && c < 0x2420 ? c - 0x2400 : c));
    return sb.toString();
  }

  /** {@code shared/peers/<relative>} (see {@link comms.core.SharedPeers} for where it is looked for). */
  static Path peers(String relative) {
    return comms.core.SharedPeers.file(relative);
  }

  // ------------------------------------------------------------------ running

  /** The figures of one pass. */
  static final class Figures {
    final Map<String, Integer> bySource = new TreeMap<>();
    int entries;
    int crashed;
    int wrongExit;
    int missingMessage;
    int outboxChanged;
    final List<Miss> misses = Collections.synchronizedList(new ArrayList<>());

    String summary() {
      int contracts = bySource.getOrDefault("contracts.yaml", 0);
      int arguments = bySource.getOrDefault("arguments.yaml", 0);
      return "hostile input: " + entries + " entries (" + contracts + " bad contracts, " + arguments + " bad arguments, "
          + (entries - contracts - arguments) + " refused recipients from public corpora): " + crashed + " internal errors, "
          + wrongExit + " wrong exit codes, " + missingMessage + " messages without their reason, " + outboxChanged
          + " outboxes changed by a refused run";
    }
  }

  /** Runs one entry and checks its exit code, its message and that the outbox did not change by a byte. */
  void run(Entry e, Figures f) throws IOException {
    String before = treeHash(outbox) + (e.scratch() == null ? "" : treeHash(e.scratch()));
    CliRun.Result r = cli(e.bindings()).stdin("yes\n").run(e.args().toArray(String[]::new));
    String after = treeHash(outbox) + (e.scratch() == null ? "" : treeHash(e.scratch()));
    f.entries++;
    f.bySource.merge(e.source().startsWith("contracts") || e.source().startsWith("arguments") ? e.source() : "corpora", 1, Integer::sum);
    String text = r.out() + r.err();
    if (Boolean.getBoolean("faults.hostile.show")) {
      String first = r.err().lines().filter(l -> l.startsWith("comms:")).findFirst().orElse(r.err().lines().findFirst().orElse(""));
      System.out.println("[" + e.source() + "] " + e.name() + " -> exit " + r.exit() + ": " + (first.length() > 300 ? first.substring(0, 300) : first));
    }
    if (r.exit() == 1 || text.contains("internal error")) {
      f.crashed++;
      f.misses.add(new Miss(e, "internal error\n" + r));
    } else if (r.exit() != e.exit()) {
      f.wrongExit++;
      f.misses.add(new Miss(e, "exit " + r.exit() + ", expected " + e.exit() + "\n" + shorten(text)));
    } else if (!text.contains(e.message())) {
      f.missingMessage++;
      f.misses.add(new Miss(e, "no '" + e.message() + "' in\n" + shorten(text)));
    } else if (e.absent() != null && text.contains(e.absent())) {
      f.missingMessage++;
      f.misses.add(new Miss(e, "printed '" + e.absent() + "' raw:\n" + shorten(text)));
    }
    for (int c : text.codePoints().toArray()) {
      // A recipient's control characters must never reach a terminal raw (tabs and line ends are ours).
      if (c == 0x1b || c == 0x202e || c == 0) {
        f.missingMessage++;
        f.misses.add(new Miss(e, String.format("printed the raw character U+%04X", c)));
        break;
      }
    }
    if (!before.equals(after)) {
      f.outboxChanged++;
      f.misses.add(new Miss(e, "the outbox changed"));
    }
  }

  private static String shorten(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
  }

  /** SHA-256 over every path under {@code root} (folders too), its kind and, for files, its bytes. */
  static String treeHash(Path root) throws IOException {
    if (!Files.exists(root)) {
      return "absent";
    }
    MessageDigest md = comms.core.outbox.Sha256.digest();
    List<Path> all;
    try (Stream<Path> s = Files.walk(root)) {
      all = s.sorted().toList();
    }
    for (Path p : all) {
      md.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
      if (Files.isSymbolicLink(p)) {
        md.update(("->" + Files.readSymbolicLink(p)).getBytes(StandardCharsets.UTF_8));
      } else if (Files.isRegularFile(p)) {
        md.update((byte) 'f');
        md.update(Files.readAllBytes(p));
      } else {
        md.update((byte) 'd');
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
