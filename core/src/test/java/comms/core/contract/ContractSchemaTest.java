package comms.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Given a schema and a YAML document, the evaluator refuses exactly what it should, saying where and why. */
class ContractSchemaTest {
  static final String HEAD = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", ";

  static ContractSchema schema(String body) {
    return ContractSchema.parse(HEAD + body + "}", "t.schema.json");
  }

  static List<String> problems(ContractSchema s, String yaml) {
    return s.violations(YamlValue.parse(yaml, "x.yaml")).stream().map(ContractException::getMessage).toList();
  }

  static String first(ContractSchema s, String yaml) {
    List<String> p = problems(s, yaml);
    assertTrue(!p.isEmpty(), "expected a violation for:\n" + yaml);
    return p.get(0);
  }

  static final ContractSchema SERVICE =
      schema(
          """
          "type": "object", "additionalProperties": false, "required": ["name", "port"],
          "properties": {
            "name": {"type": ["string", "number"], "pattern": "\\\\S"},
            "port": {"type": "integer", "minimum": 1, "maximum": 65535},
            "protocol": {"enum": ["tcp", "udp"]},
            "tags": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"enum": ["a", "b"]}},
            "env": {"type": "object", "additionalProperties": {"$ref": "#/$defs/var"}},
            "version": {"type": "integer", "const": 1},
            "code": {"type": "string", "minLength": 2, "maxLength": 3}
          },
          "$defs": {"var": {"description": "an UPPER_SNAKE_CASE name", "type": "string", "pattern": "^[A-Z_]+$"}}
          """);

  @Test
  void aValidDocumentHasNoViolations() {
    assertEquals(List.of(), problems(SERVICE, "name: smtp\nport: 587\nprotocol: tcp\ntags: [a]\nenv: {key: COMMS_KEY}\nversion: 1\ncode: ab\n"));
  }

  @Test
  void typeMismatchNamesLinePathAndWhatWasFound() {
    assertEquals(
        "x.yaml:2:7 (port): expected a whole number but found the text 'https'", first(SERVICE, "name: smtp\nport: https\n"));
    assertEquals("x.yaml:2:7 (port): expected a whole number but found a list", first(SERVICE, "name: smtp\nport: [1]\n"));
    assertEquals(
        "x.yaml:1:1 ($): expected a mapping (key: value lines) but found a list", first(SERVICE, "- a\n- b\n"));
  }

  @Test
  void textAcceptsNumbersButNotBooleansAndSaysHowToQuote() {
    assertEquals(List.of(), problems(SERVICE, "name: 42\nport: 1\n"));
    assertEquals(
        "x.yaml:1:7 (name): expected a text value but found the boolean true; quote it if you mean the text 'true'",
        first(SERVICE, "name: true\nport: 1\n"));
  }

  @Test
  void unknownKeyListsTheKnownOnes() {
    assertEquals(
        "x.yaml:3:1 (prot): unknown key 'prot'; known keys here: name, port, protocol, tags, env, version, code",
        first(SERVICE, "name: smtp\nport: 587\nprot: tcp\n"));
  }

  @Test
  void unknownKeysComeBeforeMissingOnes() {
    List<String> p = problems(SERVICE, "name: smtp\nprt: 587\n");
    assertTrue(p.get(0).contains("unknown key 'prt'"), p.toString());
    assertTrue(p.get(1).contains("x.yaml:1:1 (port): missing required field 'port'"), p.toString());
  }

  @Test
  void missingFieldPointsAtTheMappingAndNamesItsPath() {
    ContractSchema s =
        schema("\"type\": \"object\", \"properties\": {\"pilot\": {\"type\": \"object\", \"required\": [\"mode\"]}}, \"required\": [\"pilot\"]");
    assertEquals("x.yaml:2:3 (pilot.mode): missing required field 'mode' in pilot", first(s, "pilot:\n  other: 1\n"));
    assertEquals("x.yaml:1:1 (pilot): missing required field 'pilot'", first(s, "other: 1\n"));
  }

  @Test
  void enumListsTheAllowedValues() {
    assertEquals(
        "x.yaml:3:11 (protocol): 'protocol' is 'sctp'; use one of tcp, udp", first(SERVICE, "name: s\nport: 1\nprotocol: sctp\n"));
    assertEquals(
        "x.yaml:3:11 (tags[1]): 'c' is not allowed in 'tags'; use one of a, b", first(SERVICE, "name: s\nport: 1\ntags: [a, c]\n"));
  }

  @Test
  void rangesAndConstSayWhatIsAllowed() {
    assertEquals("x.yaml:2:7 (port): 'port' is 0; it must be between 1 and 65535", first(SERVICE, "name: s\nport: 0\n"));
    assertEquals("x.yaml:3:10 (version): 'version' is '2'; it must be 1", first(SERVICE, "name: s\nport: 1\nversion: 2\n"));
  }

  @Test
  void integerAcceptsAWholeFloatAsJsonSchemaDoes() {
    assertEquals(List.of(), problems(SERVICE, "name: s\nport: 587.0\n"));
    assertTrue(first(SERVICE, "name: s\nport: 587.5\n").contains("expected a whole number but found the number 587.5"));
  }

  @Test
  void patternFailureUsesTheDescriptionAndBlankTextIsEmpty() {
    assertEquals(
        "x.yaml:3:12 (env.key): 'abc123' does not fit 'key': it must be an UPPER_SNAKE_CASE name",
        first(SERVICE, "name: s\nport: 1\nenv: {key: abc123}\n"));
    assertEquals("x.yaml:1:7 (name): 'name' must not be empty", first(SERVICE, "name: \" \"\nport: 1\n"));
    ContractSchema bare = schema("\"properties\": {\"a\": {\"type\": \"string\", \"pattern\": \"^x\"}}");
    assertEquals("x.yaml:1:4 (a): 'y' does not fit 'a' (it must match the pattern ^x)", first(bare, "a: y\n"));
  }

  @Test
  void lengthsAndItemCounts() {
    assertTrue(first(SERVICE, "name: s\nport: 1\ncode: a\n").contains("'code' must be at least 2 characters long"));
    assertTrue(first(SERVICE, "name: s\nport: 1\ncode: abcd\n").contains("'code' is 4 characters long; it may be at most 3"));
    assertTrue(first(SERVICE, "name: s\nport: 1\ntags: []\n").contains("'tags' needs at least one entry"));
    assertTrue(first(SERVICE, "name: s\nport: 1\ntags: [a, b, a]\n").contains("'tags' has 3 entries; it may have at most 2"));
  }

  @Test
  void everyViolationIsReportedNotJustTheFirst() {
    assertEquals(3, problems(SERVICE, "name: \"\"\nport: 0\nprotocol: x\n").size());
  }

  @Test
  void conditionalBranchesAddTheirDescription() {
    ContractSchema s =
        schema(
            """
            "type": "object", "additionalProperties": false,
            "properties": {"channel": {"enum": ["sms", "email"]}, "subject": {"type": "string"}},
            "if": {"required": ["channel"], "properties": {"channel": {"const": "email"}}},
            "then": {"description": "an email template needs a subject", "required": ["subject"]},
            "else": {"description": "subject is for email only", "properties": {"subject": false}}
            """);
    assertEquals(List.of(), problems(s, "channel: email\nsubject: Hi\n"));
    assertEquals(List.of(), problems(s, "channel: sms\n"));
    assertEquals(
        "x.yaml:1:1 (subject): missing required field 'subject'; an email template needs a subject", first(s, "channel: email\n"));
    assertEquals(
        "x.yaml:2:1 (subject): key 'subject' is not allowed; subject is for email only", first(s, "channel: sms\nsubject: Hi\n"));
  }

  @Test
  void booleanSchemas() {
    assertEquals(List.of(), problems(schema("\"properties\": {\"a\": true}"), "a: [1, {b: 2}]\n"));
    assertTrue(first(schema("\"additionalProperties\": false"), "a: 1\n").contains("unknown key 'a'; no keys are allowed here"));
  }

  @Test
  void keywordsCommsDoesNotEvaluateAreRefusedLoudly() {
    ContractException e = assertThrows(ContractException.class, () -> schema("\"oneOf\": [{\"type\": \"string\"}]"));
    assertTrue(e.getMessage().contains("keyword 'oneOf' is not one comms evaluates"), e.getMessage());
    assertTrue(e.getMessage().startsWith("t.schema.json: not a schema comms can use, at #/oneOf"), e.getMessage());
    e = assertThrows(ContractException.class, () -> schema("\"properties\": {\"a\": {\"format\": \"email\"}}"));
    assertTrue(e.getMessage().contains("#/properties/a/format"), e.getMessage());
  }

  @Test
  void schemaMistakesAreRefused() {
    assertTrue(
        assertThrows(ContractException.class, () -> ContractSchema.parse("{\"type\": \"object\"}", "t"))
            .getMessage()
            .contains("'$schema' must be"));
    assertTrue(
        assertThrows(ContractException.class, () -> schema("\"$ref\": \"#/$defs/nope\", \"$defs\": {\"x\": true}"))
            .getMessage()
            .contains("which $defs does not define (it has: x)"));
    assertTrue(
        assertThrows(ContractException.class, () -> schema("\"$ref\": \"other.json#/x\"")).getMessage().contains("must point into this file's $defs"));
    assertTrue(assertThrows(ContractException.class, () -> schema("\"type\": \"text\"")).getMessage().contains("type 'text'"));
    assertTrue(assertThrows(ContractException.class, () -> schema("\"pattern\": \"(\"")).getMessage().contains("does not compile"));
    assertTrue(assertThrows(ContractException.class, () -> schema("\"items\": [true]")).getMessage().contains("prefixItems"));
    assertTrue(assertThrows(ContractException.class, () -> schema("\"then\": true")).getMessage().contains("need an 'if'"));
    assertTrue(assertThrows(ContractException.class, () -> ContractSchema.parse("{", "t")).getMessage().contains("not valid JSON"));
  }

  @Test
  void everyImplementedKeywordIsKnownAndNothingElse() {
    assertEquals(
        new java.util.TreeSet<>(
            List.of(
                "$schema", "$comment", "$defs", "title", "description", "default", "examples", "type", "enum", "const",
                "properties", "additionalProperties", "required", "items", "minItems", "maxItems", "pattern", "minLength",
                "maxLength", "minimum", "maximum", "$ref", "if", "then", "else")),
        new java.util.TreeSet<>(ContractSchema.KEYWORDS));
  }

  @Test
  void loaderChecksTheSchemaBeforeTheReader(@TempDir Path tmp) throws Exception {
    Path b = copySample(tmp, false);
    String f = ContractKind.POLICY.file();
    Files.writeString(b.resolve(f), Files.readString(b.resolve(f)).replace("max_segments: 3", "max_segments: 3\n  max_segmets: 4"));
    ContractException e = assertThrows(ContractException.class, () -> Bindings.open(b).policy());
    assertTrue(e.getMessage().contains(":22:3 (sms.max_segmets): unknown key 'max_segmets' in sms; known keys here: max_segments"), e.getMessage());
  }

  @Test
  void aBindingsFolderWithoutSchemasUsesTheBundledCopy(@TempDir Path tmp) throws Exception {
    Path b = copySample(tmp, false);
    Bindings bindings = Bindings.open(b);
    assertTrue(bindings.schema(ContractKind.STACK).name().startsWith("built-in schemas/"), bindings.schema(ContractKind.STACK).name());
    bindings.loadAll();
    String f = ContractKind.DELIVERY.file();
    Files.writeString(b.resolve(f), Files.readString(b.resolve(f)).replace("version: 1", "version: 2"));
    ContractException e = assertThrows(ContractException.class, () -> Bindings.open(b).delivery());
    assertTrue(e.getMessage().contains("'version' is '2'; it must be 1"), e.getMessage());
  }

  @Test
  void aBindingsFolderWithSchemasUsesThem(@TempDir Path tmp) throws Exception {
    Path b = copySample(tmp, true);
    Path schema = b.resolve("schemas").resolve(ContractKind.POLICY.schemaFile());
    // a stricter local schema: at most 2 SMS segments
    Files.writeString(schema, Files.readString(schema).replace("\"maximum\": 10", "\"maximum\": 2"));
    Bindings bindings = Bindings.open(b);
    assertTrue(bindings.schema(ContractKind.POLICY).name().endsWith(ContractKind.POLICY.schemaFile()));
    ContractException e = assertThrows(ContractException.class, bindings::policy);
    assertTrue(e.getMessage().contains("'max_segments' is 3; it must be between 1 and 2"), e.getMessage());
    Files.writeString(schema, "{\"$schema\": \"" + ContractSchema.DIALECT + "\", \"anyOf\": []}");
    e = assertThrows(ContractException.class, () -> Bindings.open(b).policy());
    assertTrue(e.getMessage().contains("keyword 'anyOf' is not one comms evaluates"), e.getMessage());
    assertEquals(3, e.exitCode().code());
  }

  @Test
  void schemaViolationsListsThemAll(@TempDir Path tmp) throws Exception {
    Path b = copySample(tmp, true);
    String f = ContractKind.DELIVERY.file();
    Files.writeString(b.resolve(f), Files.readString(b.resolve(f)).replace("mode: simulation", "mode: sim").replace("max_attempts: 5", "max_attempts: 9"));
    assertEquals(2, Bindings.open(b).schemaViolations(ContractKind.DELIVERY).size());
  }

  static Path copySample(Path tmp, boolean withSchemas) throws Exception {
    Path b = tmp.resolve("bindings");
    Files.createDirectories(b.resolve("schemas"));
    for (ContractKind k : ContractKind.values()) {
      Files.copy(SchemaConsistencyTest.SAMPLE.resolve(k.file()), b.resolve(k.file()));
      if (withSchemas) {
        Files.copy(SchemaConsistencyTest.schemaFile(k), b.resolve("schemas").resolve(k.schemaFile()));
      }
    }
    if (!withSchemas) {
      Files.delete(b.resolve("schemas"));
    }
    return b;
  }
}
