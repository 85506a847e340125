package comms.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 13: every refusal of a contract file's YAML names file:line:column (and the field
 * when there is one): alias bombs, explicit tags, bad encodings, bad characters, deep nesting.
 */
class YamlRefusalsTest {
  @TempDir Path tmp;

  static ContractException refuse(String text) {
    return assertThrows(ContractException.class, () -> YamlValue.parse(text, "x.yaml"));
  }

  ContractException refuseFile(byte[] bytes) throws Exception {
    Path f = tmp.resolve("x.yaml");
    Files.write(f, bytes);
    return assertThrows(ContractException.class, () -> YamlValue.parse(f, "x.yaml"));
  }

  static void at(ContractException e, int line, int column, String field) {
    Source s = e.source();
    assertEquals("x.yaml", s.file(), e.getMessage());
    assertEquals(line, s.line(), e.getMessage());
    assertEquals(column, s.column(), e.getMessage());
    assertEquals(field, s.path(), e.getMessage());
    assertTrue(e.getMessage().startsWith("x.yaml:" + line + ":" + column), e.getMessage());
  }

  @Test
  void billionLaughsIsRefusedAtItsFirstAnchor() {
    StringBuilder y = new StringBuilder("version: 1\na: &a [\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'i'; c++) {
      char p = (char) (c - 1);
      y.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
    }
    y.append("templates: *i\n");
    ContractException e = refuse(y.toString());
    at(e, 2, 4, "a");
    assertTrue(e.getMessage().contains("anchors and aliases are not allowed"), e.getMessage());
  }

  @Test
  void aRecursiveAliasIsRefusedWithItsPlace() {
    at(refuse("version: 1\nloop: &loop [*loop]\n"), 2, 7, "loop");
  }

  @Test
  void anAliasWithoutItsAnchorIsRefusedWithItsPlace() {
    ContractException e = refuse("version: 1\nmode: *nowhere\n");
    assertEquals(2, e.source().line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("x.yaml:2:"), e.getMessage());
  }

  @Test
  void anAliasInAListNamesItsIndex() {
    at(refuse("channels:\n  - sms\n  - *x\n"), 3, 5, "channels[1]");
  }

  @Test
  void explicitTagsAreRefusedWithTheirPlaceAndField() {
    ContractException binary = refuse("version: 1\nmode: !!binary aGVsbG8=\n");
    at(binary, 2, 7, "mode");
    assertTrue(binary.getMessage().contains("'!!binary'"), binary.getMessage());
    assertTrue(binary.getMessage().contains("tags are not allowed"), binary.getMessage());

    ContractException python = refuse("version: 1\nmode: !!python/object/apply:os.system [\"id\"]\n");
    at(python, 2, 7, "mode");
    assertTrue(python.getMessage().contains("!!python/object/apply:os.system"), python.getMessage());

    at(refuse("version: 1\nstack:\n  name: !custom simulation\n"), 3, 9, "stack.name");
    at(refuse("a: ! plain\n"), 1, 4, "a");
    at(refuse("a: !!str 5\n"), 1, 4, "a");
    at(refuse("a: !<tag:example.com,2026:x> {}\n"), 1, 4, "a");
    at(refuse("--- !!map\na: 1\n"), 1, 5, "$");
  }

  @Test
  void plainContractsStillLoad() {
    YamlValue v = YamlValue.parse("version: 1\nlist: [a, 'b', \"c\"]\nmap: {x: 1}\ntext: |\n  hello\n", "x.yaml");
    assertEquals("x.yaml", v.file());
  }

  @Test
  void utf16WithByteOrderMarkGetsASaveAsUtf8Hint() throws Exception {
    for (Charset cs : new Charset[] {StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE}) {
      ContractException e = refuseFile(("\uFEFFversion: 1\n").getBytes(cs));
      at(e, 1, 1, "");
      assertTrue(e.getMessage().contains("UTF-16"), e.getMessage());
      assertTrue(e.getMessage().contains("save it as UTF-8"), e.getMessage());
    }
  }

  @Test
  void utf16WithoutByteOrderMarkIsRecognisedByItsNuls() throws Exception {
    ContractException le = refuseFile("version: 1\n".getBytes(StandardCharsets.UTF_16LE));
    assertTrue(le.getMessage().contains("UTF-16 (little-endian)") && le.getMessage().contains("save it as UTF-8"), le.getMessage());
    at(le, 1, 1, "");
    ContractException be = refuseFile("version: 1\n".getBytes(StandardCharsets.UTF_16BE));
    assertTrue(be.getMessage().contains("UTF-16 (big-endian)"), be.getMessage());
  }

  @Test
  void utf32IsRecognisedWithAndWithoutItsMark() throws Exception {
    Charset utf32le = Charset.forName("UTF-32LE");
    Charset utf32be = Charset.forName("UTF-32BE");
    for (byte[] b :
        new byte[][] {
          "\uFEFFversion: 1\n".getBytes(utf32le), "\uFEFFversion: 1\n".getBytes(utf32be), "version: 1\n".getBytes(utf32le), "version: 1\n".getBytes(utf32be)
        }) {
      ContractException e = refuseFile(b);
      assertTrue(e.getMessage().contains("UTF-32") && e.getMessage().contains("save it as UTF-8"), e.getMessage());
      at(e, 1, 1, "");
    }
  }

  @Test
  void utf8WithByteOrderMarkStillLoads() throws Exception {
    Path f = tmp.resolve("bom.yaml");
    Files.write(f, "\uFEFFversion: 1\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("bom.yaml", YamlValue.parse(f, "bom.yaml").file());
  }

  @Test
  void bytesThatAreNotUtf8NameTheirLineAndColumn() throws Exception {
    ContractException e = refuseFile(HexFormat.of().parseHex("76657273696f6e3a20310a636f6e73656e743a20fffe0a"));
    at(e, 2, 10, "");
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
  }

  @Test
  void aControlCharacterNamesItsLineAndColumn() {
    ContractException e = refuse("version: 1\nmode: sim\u0007ulation\n");
    at(e, 2, 10, "");
    assertTrue(e.getMessage().contains("U+0007"), e.getMessage());
  }

  @Test
  void deepNestingNamesWhereItGoesTooDeep() {
    ContractException e = refuse("version: 1\nconsent: " + "[".repeat(100) + "]".repeat(100) + "\n");
    assertTrue(e.getMessage().contains("nested more than 64 levels"), e.getMessage());
    assertEquals(2, e.source().line(), e.getMessage());
    assertTrue(e.source().column() > 1, e.getMessage());
  }

  @Test
  void tenThousandLevelsAreRefusedWithoutOverflowingTheStack() {
    ContractException e = refuse("version: 1\nconsent: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
    assertTrue(e.getMessage().contains("nested more than 64 levels"), e.getMessage());
    assertEquals(2, e.source().line(), e.getMessage());
  }

  @Test
  void twoDocumentsNameTheSecond() {
    ContractException e = refuse("mode: simulation\n---\nmode: live\n");
    assertTrue(e.source().line() >= 2, e.getMessage());
  }
}
