package comms.cli.faults;

import comms.cli.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issue 23, hostile input read from files: sequence files ({@code sequence.create}), recipient files
 * ({@code sequence.add-recipients}), snippet bodies ({@code snippet.create}) and Resend webhooks
 * ({@code engagement.ingest}, Svix-signed). Each is refused with the README's exit code: 3 for a
 * sequence or snippet that breaks a rule (file, line, field), 2 for a malformed recipients or webhook
 * file (refused whole, file and line) and for bad arguments, 4 for a webhook whose signature fails.
 */
final class HostileFiles {
  private final HostileStore store;

  HostileFiles(HostileStore store) {
    this.store = store;
  }

  private static final String HEAD = "version: 1\nname: Hostile\nzone: America/New_York\n";
  private static final String STAGE1 = "  - { medium: email, delay: \"0\", trigger: always, template: welcome_intro.email }\n";

  private HostileCase.Answer cli(String... args) {
    CliRun.Result r = store.cli().stdin("yes\n").run(args);
    return new HostileCase.Answer("exit " + r.exit(), r.out() + r.err());
  }

  // ------------------------------------------------------------------ sequence files

  List<HostileCase> sequences() {
    List<HostileCase> out = new ArrayList<>();
    seq(out, "unknown key", HEAD + "colour: red\nstages:\n" + STAGE1, 3, "colour");
    seq(out, "zone as an offset", HEAD.replace("America/New_York", "\"+05:00\"") + "stages:\n" + STAGE1, 3, "zone");
    seq(out, "zone that does not exist", HEAD.replace("America/New_York", "Mars/Olympus_Mons") + "stages:\n" + STAGE1, 3, "zone");
    seq(out, "six stages", HEAD + "stages:\n" + STAGE1 + "  - { medium: email, delay: 1d, trigger: no_reply, template: welcome_followup.email }\n".repeat(5), 3, "stages");
    seq(out, "window starts before the contract's", HEAD + "window: { start: \"07:00\", end: \"20:00\" }\nstages:\n" + STAGE1, 3, "window");
    seq(out, "window ends after the contract's", HEAD + "window: { start: \"08:00\", end: \"21:30\" }\nstages:\n" + STAGE1, 3, "window");
    seq(out, "window ends before it starts", HEAD + "window: { start: \"18:00\", end: \"09:00\" }\nstages:\n" + STAGE1, 3, "window");
    seq(out, "window in words", HEAD + "window: { start: 8am, end: 8pm }\nstages:\n" + STAGE1, 3, "window");
    seq(out, "delay with a unit that does not exist", HEAD + "stages:\n" + STAGE1 + "  - { medium: email, delay: 3x, trigger: no_reply, template: welcome_followup.email }\n", 3, "delay");
    seq(out, "a later stage with delay 0", HEAD + "stages:\n" + STAGE1 + "  - { medium: email, delay: \"0\", trigger: no_reply, template: welcome_followup.email }\n", 3, "delay");
    seq(out, "a negative delay", HEAD + "stages:\n" + STAGE1 + "  - { medium: email, delay: \"-1d\", trigger: no_reply, template: welcome_followup.email }\n", 3, "delay");
    seq(out, "trigger opened", HEAD + "stages:\n" + STAGE1 + "  - { medium: email, delay: 1d, trigger: opened, template: welcome_followup.email }\n", 3, "opened");
    seq(out, "trigger that does not exist", HEAD + "stages:\n" + STAGE1 + "  - { medium: email, delay: 1d, trigger: maybe, template: welcome_followup.email }\n", 3, "trigger");
    seq(out, "medium imessage", HEAD + "stages:\n  - { medium: imessage, delay: \"0\", trigger: always, template: welcome_intro.email }\n", 3, "imessage");
    seq(out, "medium fax", HEAD + "stages:\n  - { medium: fax, delay: \"0\", trigger: always, template: welcome_intro.email }\n", 3, "medium");
    seq(out, "stage without a medium", HEAD + "stages:\n  - { delay: \"0\", trigger: always, template: welcome_intro.email }\n", 3, "medium");
    seq(out, "(Copy) in the name", HEAD.replace("name: Hostile", "name: Welcome (Copy)") + "stages:\n" + STAGE1, 3, "(Copy)");
    seq(out, "empty name", HEAD.replace("name: Hostile", "name: \"\"") + "stages:\n" + STAGE1, 3, "name");
    seq(out, "name of 10,000 characters", HEAD.replace("name: Hostile", "name: " + "n".repeat(10_000)) + "stages:\n" + STAGE1, 3, "name");
    seq(out, "name with an escape character", HEAD.replace("name: Hostile", "name: \"Evil\\e[31m\"") + "stages:\n" + STAGE1, 3, "name");
    seq(out, "no name", "version: 1\nzone: America/New_York\nstages:\n" + STAGE1, 3, "name");
    seq(out, "no stages", HEAD, 3, "stages");
    seq(out, "empty stages", HEAD + "stages: []\n", 3, "stages");
    seq(out, "version 2", HEAD.replace("version: 1", "version: 2") + "stages:\n" + STAGE1, 3, "version");
    seq(out, "template that does not exist", HEAD + "stages:\n  - { medium: email, delay: \"0\", trigger: always, template: nope.email }\n", 3, "template");
    seq(out, "an SMS template on an email stage", HEAD + "stages:\n  - { medium: email, delay: \"0\", trigger: always, template: welcome_nudge.sms }\n", 3, "template");
    seq(out, "a snippet that does not exist", HEAD + "stages:\n  - { medium: email, delay: \"0\", trigger: always, snippet: nosuch@1, message_type: welcome_intro }\n", 3, "snippet");
    seq(out, "a snippet not co-signed", HEAD + "stages:\n  - { medium: email, delay: \"0\", trigger: always, snippet: renewal@1, message_type: welcome_intro }\n", 3, "co-sign");
    seq(out, "holiday country that does not exist", HEAD + "holidays: { country: XX }\nstages:\n" + STAGE1, 3, "country");
    seq(out, "holiday on February 30", HEAD + "holidays: { country: US, extra_dates: [\"2026-02-30\"] }\nstages:\n" + STAGE1, 3, "extra_dates");
    seq(out, "unclosed flow mapping", HEAD + "stages:\n  - { medium: email, delay: \"0\"\n", 3, "sequence");
    seq(out, "an alias bomb", "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n" + HEAD + "stages:\n" + STAGE1, 3, "alias");
    seq(out, "a language-specific tag", HEAD + "stages: !!python/object:os.system [\"id\"]\n", 3, "sequence");
    seq(out, "the name twice", HEAD + "name: Other\nstages:\n" + STAGE1, 3, "name");
    seq(out, "an empty file", "", 3, "sequence");
    seq(out, "a list, not a mapping", "- one\n- two\n", 3, "sequence");
    seqBytes(out, "NUL bytes", new byte[] {'n', 'a', 'm', 'e', ':', ' ', 0, 0, '\n'}, 3, "sequence");
    seqBytes(out, "Latin-1, not UTF-8", (HEAD.replace("Hostile", "Jos\u00e9") + "stages:\n" + STAGE1).getBytes(StandardCharsets.ISO_8859_1), 3, "UTF-8");
    seq(out, "nesting 5,000 deep", HEAD + "stages: " + "[".repeat(5000) + "]".repeat(5000) + "\n", 3, "sequence");
    out.add(HostileCase.of("sequence file", "a file that does not exist", "exit 3", "nope.yaml",
        () -> cli("sequence.create", "--file", store.dir.resolve("nope.yaml").toString(), "--execute")));
    out.add(HostileCase.of("sequence file", "a directory", "exit 3", "inputs",
        () -> cli("sequence.create", "--file", store.dir.resolve("inputs").toString(), "--execute")));
    return out;
  }

  private void seq(List<HostileCase> out, String name, String content, int exit, String says) {
    seqBytes(out, name, content.getBytes(StandardCharsets.UTF_8), exit, says);
  }

  private void seqBytes(List<HostileCase> out, String name, byte[] content, int exit, String says) {
    Path f = store.file("hostile.sequence.yaml", content);
    out.add(HostileCase.of("sequence file", name, "exit " + exit, says, () -> cli("sequence.create", "--file", f.toString(), "--execute")));
  }

  // ------------------------------------------------------------------ recipient files

  private static final String CSV_HEAD = "email,phone,cc,first_name,company\n";

  List<HostileCase> recipients() {
    List<HostileCase> out = new ArrayList<>();
    StringBuilder many = new StringBuilder(CSV_HEAD);
    for (int i = 0; i < 2001; i++) {
      many.append("r").append(i).append("@example.com,,,R,Co\n");
    }
    rcp(out, "2,001 rows", "many.csv", many.toString(), "at most 2000");
    rcp(out, "an unclosed quote", "quote.csv", CSV_HEAD + "\"maria@example.org,,,Maria,Gomez\n", "quote");
    rcp(out, "a row with a field too many", "long.csv", CSV_HEAD + "lee@example.com,,,Lee,Park,extra\n", ":2");
    rcp(out, "a row with a field too few", "short.csv", CSV_HEAD + "lee@example.com,,,Lee\n", ":2");
    rcp(out, "a header naming a column twice", "twice.csv", "email,first_name,first_name,company\nlee@example.com,Lee,Lee,Park\n", "first_name");
    rcp(out, "no email or phone column", "noaddr.csv", "first_name,company\nLee,Park\n", "email");
    rcp(out, "an empty header cell", "emptyhead.csv", "email,,company\nlee@example.com,x,Park\n", ":1");
    rcp(out, "text after a closing quote", "afterquote.csv", CSV_HEAD + "\"lee@example.com\"x,,,Lee,Park\n", ":2");
    rcpBytes(out, "Latin-1, not UTF-8", "latin1.csv", (CSV_HEAD + "jose@example.com,,,Jos\u00e9,Caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1), "UTF-8");
    rcp(out, "JSON Lines: a line that is not JSON", "notjson.jsonl", "{\"email\":\"lee@example.com\",\"first_name\":\"Lee\",\"company\":\"Park\"}\n{email: lee}\n", ":2");
    rcp(out, "JSON Lines: an array", "array.jsonl", "[\"lee@example.com\"]\n", ":1");
    rcp(out, "JSON Lines: a number", "number.jsonl", "42\n", ":1");
    rcp(out, "JSON Lines: a nested object", "nested.jsonl", "{\"email\":\"lee@example.com\",\"first_name\":{\"x\":1},\"company\":\"Park\"}\n", ":1");
    rcp(out, "JSON Lines: an array value", "arrayvalue.jsonl", "{\"email\":\"lee@example.com\",\"first_name\":[\"Lee\"],\"company\":\"Park\"}\n", ":1");
    rcp(out, "JSON Lines: text after the object", "trailing.jsonl", "{\"email\":\"lee@example.com\",\"first_name\":\"Lee\",\"company\":\"Park\"} x\n", ":1");
    rcp(out, "JSON Lines: a key twice", "dupkey.jsonl", "{\"email\":\"lee@example.com\",\"email\":\"mallory@example.com\",\"first_name\":\"Lee\",\"company\":\"Park\"}\n", ":1");
    rcp(out, "JSON Lines: nesting 10,000 deep", "deep.jsonl", "[".repeat(10_000) + "]".repeat(10_000) + "\n", ":1");
    StringBuilder manyJson = new StringBuilder();
    for (int i = 0; i < 2500; i++) {
      manyJson.append("{\"email\":\"j").append(i).append("@example.com\",\"first_name\":\"J\",\"company\":\"Co\"}\n");
    }
    rcp(out, "JSON Lines: 2,500 rows", "many.jsonl", manyJson.toString(), "at most 2000");
    out.add(HostileCase.of("recipient file", "a file that does not exist", "exit 2", "gone.csv",
        () -> cli("sequence.add-recipients", "Welcome", "--file", store.dir.resolve("gone.csv").toString(), "--execute")));
    out.add(HostileCase.of("recipient file", "a directory", "exit 2", "inputs",
        () -> cli("sequence.add-recipients", "Welcome", "--file", store.dir.resolve("inputs").toString(), "--execute")));
    Path good = store.file("good.csv", CSV_HEAD + "lee.new@example.com,,,Lee,Park\n");
    out.add(HostileCase.of("recipient file", "a sequence that does not exist", "exit 2", "Nope",
        () -> cli("sequence.add-recipients", "Nope", "--file", good.toString(), "--execute")));
    return out;
  }

  private void rcp(List<HostileCase> out, String name, String file, String content, String says) {
    rcpBytes(out, name, file, content.getBytes(StandardCharsets.UTF_8), says);
  }

  private void rcpBytes(List<HostileCase> out, String name, String file, byte[] content, String says) {
    Path f = store.file(file, content);
    out.add(HostileCase.of("recipient file", name, "exit 2", says, () -> cli("sequence.add-recipients", "Welcome", "--file", f.toString(), "--execute")));
  }

  // ------------------------------------------------------------------ snippet bodies

  List<HostileCase> snippets() {
    List<HostileCase> out = new ArrayList<>();
    snip(out, "an undeclared variable", "Hi {{first_name}}, your {{plan_name}} renews.\n", 3, "plan_name");
    snip(out, "an undeclared variable on line 3", "Hi {{first_name}},\n\nThanks, {{sender}}\n", 3, ":3");
    snip(out, "a section", "{{#vip}}Thanks for being a VIP.{{/vip}}\n", 3, "vip");
    snip(out, "an inverted section", "{{^vip}}Upgrade today.{{/vip}}\n", 3, "vip");
    snip(out, "a partial", "{{> footer}}\n", 3, "footer");
    snip(out, "a section closed that was never opened", "Hi {{first_name}} {{/first_name}}\n", 3, "hostile.txt");
    snip(out, "an unclosed section", "{{#first_name}} hello\n", 3, "hostile.txt");
    snip(out, "a delimiter change hiding a variable", "{{=<% %>=}}Hi <%secret%>\n", 3, "hostile.txt");
    snip(out, "an undeclared triple mustache", "Hi {{{raw_html}}}\n", 3, "raw_html");
    snip(out, "an undeclared dotted name", "Hi {{first_name.length}}\n", 3, "first_name.length");
    snipBytes(out, "Latin-1, not UTF-8", "Hi {{first_name}}, caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1), 2, "UTF-8");
    out.add(HostileCase.of("snippet body", "an undeclared variable in the subject", "exit 3", "plan_name", () -> snippet(store.file("hostile.txt", "Hi {{first_name}}\n"), "email", "Your {{plan_name}}", "first_name")));
    out.add(HostileCase.of("snippet body", "channel fax", "exit 2", "fax", () -> snippet(store.file("hostile.txt", "Hi\n"), "fax", "S", "first_name")));
    out.add(HostileCase.of("snippet body", "email without a subject", "exit 2", "subject", () -> snippet(store.file("hostile.txt", "Hi\n"), "email", null, "first_name")));
    out.add(HostileCase.of("snippet body", "a variable name with a space", "exit 2", "first name", () -> snippet(store.file("hostile.txt", "Hi\n"), "email", "S", "first name")));
    out.add(HostileCase.of("snippet body", "a body file that does not exist", "exit 2", "nobody.txt", () -> snippet(store.dir.resolve("nobody.txt"), "email", "S", "first_name")));
    out.add(HostileCase.of("snippet body", "an empty body", "exit 2", "body", () -> snippet(store.file("hostile.txt", ""), "email", "S", "first_name")));
    return out;
  }

  private void snip(List<HostileCase> out, String name, String body, int exit, String says) {
    snipBytes(out, name, body.getBytes(StandardCharsets.UTF_8), exit, says);
  }

  private void snipBytes(List<HostileCase> out, String name, byte[] body, int exit, String says) {
    Path f = store.file("hostile.txt", body);
    out.add(HostileCase.of("snippet body", name, "exit " + exit, says, () -> snippet(f, "email", "Hello {{first_name}}", "first_name")));
  }

  private HostileCase.Answer snippet(Path body, String channel, String subject, String variables) {
    List<String> a = new ArrayList<>(List.of("snippet.create", "--name", "Hostile", "--channel", channel, "--file", body.toString(), "--variables", variables, "--execute"));
    if (subject != null) {
      a.addAll(List.of("--subject", subject));
    }
    return cli(a.toArray(String[]::new));
  }

  // ------------------------------------------------------------------ Resend webhooks (Svix)

  /** 2026-11-18T17:00:00Z, the store's clock, in seconds. */
  private static final long T = java.time.Instant.parse(HostileStore.NOW).getEpochSecond();

  private static final String BODY =
      "{\"type\":\"email.bounced\",\"created_at\":\"2026-11-18T16:59:00.000Z\",\"data\":{\"email_id\":\"4ef1c8a0-sample-0001\",\"to\":[\"maria.gomez@example.org\"],\"bounce\":{\"type\":\"Permanent\"}}}";

  static String sign(String secret, String id, long t, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
    return "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + t + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  private static String line(String id, String t, String signature, String body) {
    return "{\"headers\":{\"svix-id\":" + q(id) + ",\"svix-timestamp\":" + q(t) + ",\"svix-signature\":" + q(signature) + "},\"body\":" + q(body) + "}\n";
  }

  private static String q(String s) {
    return s == null ? "null" : comms.core.json.Json.write(s);
  }

  List<HostileCase> webhooks() throws Exception {
    String secret = CliRun.SAMPLE_WEBHOOK_SECRET;
    String good = sign(secret, "msg_h1", T, BODY);
    String other = "whsec_" + Base64.getEncoder().encodeToString("someone-elses-secret-0123456789ab".getBytes(StandardCharsets.UTF_8));
    List<HostileCase> out = new ArrayList<>();
    hook(out, "signed with another secret", line("msg_h1", "" + T, sign(other, "msg_h1", T, BODY), BODY), 4, "signature");
    hook(out, "the body changed after signing", line("msg_h1", "" + T, good, BODY.replace("Permanent", "Transient")), 4, "signature");
    hook(out, "another svix-id than signed", line("msg_h2", "" + T, good, BODY), 4, "signature");
    hook(out, "signed six minutes ago", line("msg_h1", "" + (T - 360), sign(secret, "msg_h1", T - 360, BODY), BODY), 4, "stale");
    hook(out, "signed six minutes ahead", line("msg_h1", "" + (T + 360), sign(secret, "msg_h1", T + 360, BODY), BODY), 4, "stale");
    hook(out, "only a v2 signature", line("msg_h1", "" + T, good.replace("v1,", "v2,"), BODY), 4, "signature");
    hook(out, "an empty signature", line("msg_h1", "" + T, "", BODY), 2, "svix-signature");
    hook(out, "a signature that is not base64", line("msg_h1", "" + T, "v1,!!!not-base64!!!", BODY), 4, "signature");
    hook(out, "a truncated signature", line("msg_h1", "" + T, good.substring(0, 20), BODY), 4, "signature");
    hook(out, "the forged sample", new String(java.nio.file.Files.readAllBytes(HostileStore.EXAMPLES.resolve("engagement/forged.jsonl")), StandardCharsets.UTF_8), 4, "signature");
    hook(out, "a timestamp that is not a number", line("msg_h1", "yesterday", good, BODY), 4, "bad_timestamp");
    hook(out, "no svix-signature header", "{\"headers\":{\"svix-id\":\"msg_h1\",\"svix-timestamp\":\"" + T + "\"},\"body\":" + q(BODY) + "}\n", 2, "svix-signature");
    hook(out, "no svix-id header", "{\"headers\":{\"svix-timestamp\":\"" + T + "\",\"svix-signature\":\"" + good + "\"},\"body\":" + q(BODY) + "}\n", 2, "svix-id");
    hook(out, "the body as an object, not its bytes", "{\"headers\":{\"svix-id\":\"msg_h1\",\"svix-timestamp\":\"" + T + "\",\"svix-signature\":\"" + good + "\"},\"body\":" + BODY + "}\n", 2, "body");
    hook(out, "a line that is not JSON", "svix-id: msg_h1\n", 2, ":1");
    hook(out, "a line that is a JSON array", "[1,2,3]\n", 2, ":1");
    hook(out, "headers that are not an object", "{\"headers\":\"svix\",\"body\":" + q(BODY) + "}\n", 2, ":1");
    hook(out, "a good webhook, then a bad line (nothing applied)", line("msg_h1", "" + T, good, BODY) + "{oops\n", 2, ":2");
    hook(out, "nesting 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000) + "\n", 2, ":1");
    out.add(HostileCase.of("webhook", "no signing secret in the environment", "exit 4", "no_secret", () -> {
      Path f = store.file("events.jsonl", line("msg_h1", "" + T, good, BODY));
      CliRun.Result r = store.cli().env("COMMS_RESEND_WEBHOOK_SECRET", "").stdin("yes\n").run("engagement.ingest", "--file", f.toString());
      return new HostileCase.Answer("exit " + r.exit(), r.out() + r.err());
    }));
    out.add(HostileCase.of("webhook", "a file that does not exist", "exit 2", "gone.jsonl",
        () -> cli("engagement.ingest", "--file", store.dir.resolve("gone.jsonl").toString(), "--execute")));
    return out;
  }

  /**
   * A webhook file; malformed files are run with --execute (refused whole before anything is
   * applied, exit 2, no receipt), signature refusals (exit 4) as a dry run: with --execute they are
   * counted in the store's webhook_refusals by design (engagement.status shows them; {@link
   * PhaseTwoHostileTest} checks that separately). Like every mutating run past validation, the dry
   * run leaves its receipt (exit_code 4), the one file the test lets it add.
   */
  private void hook(List<HostileCase> out, String name, String content, int exit, String says) {
    Path f = store.file("events.jsonl", content);
    out.add(HostileCase.of("webhook", name, "exit " + exit, says,
        () -> exit == 4 ? cli("engagement.ingest", "--file", f.toString()) : cli("engagement.ingest", "--file", f.toString(), "--execute")));
  }
}
