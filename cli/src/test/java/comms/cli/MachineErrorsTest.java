package comms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.ExitCode;
import comms.core.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 11: with --output json or yaml an error is one JSON object on one line of stderr,
 * {"error": {exit_code, kind, message, file?, line?, column?, field?}}; table mode keeps the sentence.
 */
class MachineErrorsTest {
  @TempDir Path tmp;

  CliRun cli() {
    return new CliRun(tmp.resolve("outbox"));
  }

  /** The one error object stderr holds, after checking stderr is exactly one line and stdout is empty. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> error(CliRun.Result r) {
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), () -> "stderr must be exactly one line:\n" + r);
    assertEquals("", r.out(), r::toString);
    Map<String, Object> doc = Json.parseObject(lines.get(0));
    assertEquals(Set.of("error"), doc.keySet(), r::toString);
    Map<String, Object> e = (Map<String, Object>) doc.get("error");
    assertEquals(r.exit(), ((Number) e.get("exit_code")).intValue(), r::toString);
    assertTrue(e.get("message") instanceof String m && !m.isBlank() && !m.startsWith("comms:"), r::toString);
    return e;
  }

  @Test
  void aContractErrorCarriesFileLineColumnAndField() {
    Path b = CliRun.copyBindings(tmp);
    CliRun.edit(b, "communications.policy.contract.yaml", "max_segments: 3", "max_segments: three");
    for (String format : List.of("json", "yaml")) {
      CliRun.Result r = cli().bindings(b).run("policy.status", "--output", format);
      assertEquals(3, r.exit(), r::toString);
      Map<String, Object> e = error(r);
      assertEquals("contract", e.get("kind"));
      assertTrue(((String) e.get("file")).endsWith("communications.policy.contract.yaml"), r::toString);
      assertTrue(((Number) e.get("line")).intValue() > 1, r::toString);
      assertTrue(((Number) e.get("column")).intValue() > 1, r::toString);
      assertEquals("sms.max_segments", e.get("field"), r::toString);
      assertTrue(((String) e.get("message")).contains("expected a whole number"), r::toString);
    }
  }

  @Test
  void aYamlRefusalCarriesItsPlaceToo() {
    Path b = CliRun.copyBindings(tmp);
    CliRun.edit(b, "communications.policy.contract.yaml", "max_segments: 3", "max_segments: !!int 3");
    Map<String, Object> e = error(cli().bindings(b).run("-o", "json", "policy.status"));
    assertEquals(3, ((Number) e.get("exit_code")).intValue());
    assertEquals("sms.max_segments", e.get("field"));
    assertTrue(((String) e.get("message")).contains("!!int"), e::toString);
  }

  @Test
  void aFileLevelRefusalHasAFileButNoLine() {
    Map<String, Object> e = error(cli().bindings(tmp.resolve("nowhere")).run("policy.status", "-o", "json"));
    assertEquals("contract", e.get("kind"));
    assertTrue(((String) e.get("file")).endsWith("nowhere"), e::toString);
    assertFalse(e.containsKey("line"), e::toString);
    assertFalse(e.containsKey("field"), e::toString);
  }

  @Test
  void tableModeKeepsTheSentence() {
    Path b = CliRun.copyBindings(tmp);
    CliRun.edit(b, "communications.policy.contract.yaml", "max_segments: 3", "max_segments: three");
    CliRun.Result r = cli().bindings(b).run("policy.status");
    assertEquals(3, r.exit());
    assertTrue(r.err().startsWith("comms: ") && r.err().contains("(sms.max_segments): expected a whole number"), r::toString);
    assertFalse(r.err().contains("{\"error\""), r::toString);
  }

  @Test
  void picocliUsageErrorsAreOneObjectWithTheOptionAsField() {
    CliRun.Result unknown = cli().run("-o", "json", "policy.status", "--bogus");
    assertEquals(2, unknown.exit(), unknown::toString);
    Map<String, Object> e = error(unknown);
    assertEquals("usage", e.get("kind"));
    assertTrue(((String) e.get("message")).contains("--bogus") && ((String) e.get("message")).contains("--help"), e::toString);

    CliRun.Result missing = cli().run("send.preview", "--output=json", "--channel");
    assertEquals(2, missing.exit(), missing::toString);
    Map<String, Object> m = error(missing);
    assertEquals("usage", m.get("kind"));
    assertEquals("--channel", m.get("field"), m::toString);

    CliRun.Result badValue = cli().run("-ojson", "templates.list", "--channel", "fax");
    assertEquals(2, badValue.exit(), badValue::toString);
    assertEquals("--channel", error(badValue).get("field"), badValue::toString);
  }

  @Test
  void aMisspeltCommandSuggestsTheRightOneInsideTheMessage() {
    CliRun.Result r = cli().run("-vo", "json", "polciy.status");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(((String) error(r).get("message")).contains("policy.status"), r::toString);
  }

  @Test
  void aCommandsOwnUsageErrorIsAnObjectToo() {
    CliRun.Result r = cli().run("--output", "json", "cap", "run", "communications.nope");
    assertEquals(2, r.exit(), r::toString);
    Map<String, Object> e = error(r);
    assertEquals("usage", e.get("kind"));
    assertTrue(((String) e.get("message")).contains("communications.nope"), e::toString);
    CliRun.Result after = cli().run("cap", "run", "communications.nope", "-o", "json");
    assertEquals(2, after.exit(), after::toString);
    assertEquals("usage", error(after).get("kind"), after::toString);
  }

  @Test
  void aBadOutputValueFallsBackToTheSentence() {
    for (String[] args : List.of(new String[] {"-o", "xml", "policy.status"}, new String[] {"policy.status", "--output"})) {
      CliRun.Result r = cli().run(args);
      assertEquals(2, r.exit(), r::toString);
      assertTrue(r.err().startsWith("comms: "), r::toString);
      assertFalse(r.err().contains("{\"error\""), r::toString);
    }
  }

  @Test
  void anOutputFlagAfterDoubleDashIsNotAFormat() {
    CliRun.Result r = cli().run("policy.status", "--", "-o", "json");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().startsWith("comms: "), r::toString);
  }

  static final String[] BLOCKED_PREVIEW = {
    "send.preview", "--channel", "sms", "--message-type", "order_ready", "--to", "+15551234567",
    "--consent-state", "opted-out", "--vars-file", Path.of("..", "examples", "vars", "order_ready.json").toAbsolutePath().toString()
  };

  static String[] with(String[] base, String... more) {
    return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
  }

  @Test
  void aBlockedPreviewKeepsItsDocumentOnStdoutAndOneErrorObjectOnStderr() {
    CliRun.Result r = cli().env("COMMS_NOW", "2026-11-18T17:00:00Z").run(with(BLOCKED_PREVIEW, "-o", "json"));
    assertEquals(4, r.exit(), r::toString);
    assertEquals("blocked", Json.parseObject(r.out()).get("verdict"), r::toString);
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r::toString);
    @SuppressWarnings("unchecked")
    Map<String, Object> e = (Map<String, Object>) Json.parseObject(lines.get(0)).get("error");
    assertEquals("policy", e.get("kind"));
    assertEquals(4, ((Number) e.get("exit_code")).intValue());
    assertTrue(((String) e.get("message")).contains("blocked by consent"), r::toString);
  }

  @Test
  void aBlockedPreviewInTableModeStillSaysWhyInSentences() {
    CliRun.Result r = cli().env("COMMS_NOW", "2026-11-18T17:00:00Z").run(BLOCKED_PREVIEW);
    assertEquals(4, r.exit(), r::toString);
    assertTrue(r.err().startsWith("comms: blocked by consent"), r::toString);
  }

  @Test
  void aDeferredPreviewIsAPolicyObjectToo() {
    String[] args = with(BLOCKED_PREVIEW, "-o", "yaml");
    args[8] = "opted-in";
    CliRun.Result r = cli().env("COMMS_NOW", "2026-11-18T07:00:00Z").run(args);
    assertEquals(4, r.exit(), r::toString);
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r::toString);
    assertTrue(lines.get(0).startsWith("{\"error\":{\"exit_code\":4,\"kind\":\"policy\""), r::toString);
    assertTrue(lines.get(0).contains("deferred by quiet hours"), r::toString);
  }

  @Test
  void aBlockedSendSaysWhyAsOneObject() {
    String[] args = with(BLOCKED_PREVIEW, "--output", "json", "--execute");
    args[0] = "send.execute";
    CliRun.Result r = cli().env("COMMS_NOW", "2026-11-18T17:00:00Z").run(args);
    assertEquals(4, r.exit(), r::toString);
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r::toString);
    assertTrue(lines.get(0).startsWith("{\"error\":{\"exit_code\":4,\"kind\":\"policy\""), r::toString);
  }

  @Test
  void everyExitCodeHasItsOwnStableKind() {
    Map<ExitCode, String> kinds = Stream.of(ExitCode.values()).collect(Collectors.toMap(c -> c, ExitCode::kind));
    assertEquals(
        Map.of(
            ExitCode.OK, "ok", ExitCode.INTERNAL, "internal", ExitCode.USAGE, "usage", ExitCode.CONTRACT, "contract",
            ExitCode.POLICY, "policy", ExitCode.DECLINED, "declined", ExitCode.PROVIDER, "provider"),
        kinds);
  }
}
