package comms.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipients files, CSV and JSON Lines: rows with their lines, and a malformed file refused whole with file:line. */
class RecipientsFileTest {
  static final Path SAMPLES = Path.of("..", "examples", "sequences").toAbsolutePath().normalize();

  @TempDir Path dir;

  Path csv(String text) throws IOException {
    return Files.writeString(dir.resolve("r.csv"), text);
  }

  Path jsonl(String text) throws IOException {
    return Files.writeString(dir.resolve("r.jsonl"), text);
  }

  List<Enrollment.RecipientInput> read(Path f) {
    return RecipientsFile.read(f, 2000);
  }

  /** The refusal of {@code f}: exit 2, naming the file and {@code line}, with {@code words} in it. */
  CommsException refused(Path f, int line, String... words) {
    CommsException e = assertThrows(CommsException.class, () -> read(f));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().startsWith(f + ":" + line + ":"), () -> "expected " + f + ":" + line + ": in: " + e.getMessage());
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), () -> "expected '" + w + "' in: " + e.getMessage());
    }
    return e;
  }

  static List<Integer> lines(List<Enrollment.RecipientInput> rows) {
    return rows.stream().map(Enrollment.RecipientInput::line).toList();
  }

  // ------------------------------------------------------------------ CSV

  @Test
  void theSampleReadsNineRowsWithTheirLines() {
    List<Enrollment.RecipientInput> rows = read(SAMPLES.resolve("welcome.recipients.csv"));
    assertEquals(List.of(2, 3, 4, 5, 6, 7, 8, 9, 10), lines(rows));
    Enrollment.RecipientInput first = rows.get(0);
    assertEquals("maria.gomez@example.org", first.email());
    assertEquals("+13125550101", first.phone());
    assertEquals(Map.of("first_name", "Maria", "company", "Gomez Bakery"), first.vars());
    assertEquals("office@example.net", rows.get(2).cc());
  }

  @Test
  void quotingFollowsRfc4180AndLinesCountFromWhereARowStarts() throws IOException {
    List<Enrollment.RecipientInput> rows =
        read(csv("email,first_name,company\n"
            + "a@example.com,\"Ann\",\"Smith, Jones & Co\"\n"
            + "b@example.com,Bob,\"He said \"\"hi\"\"\"\n"
            + "c@example.com,Cy,\"two\nlines\"\n"
            + "d@example.com,Di,\"\"\n"));
    assertEquals(List.of(2, 3, 4, 6), lines(rows));
    assertEquals("Smith, Jones & Co", rows.get(0).vars().get("company"));
    assertEquals("He said \"hi\"", rows.get(1).vars().get("company"));
    assertEquals("two\nlines", rows.get(2).vars().get("company"));
    assertEquals("", rows.get(3).vars().get("company"));
  }

  @Test
  void aBomCrlfEmptyLinesAndNoFinalNewlineAreTolerated() throws IOException {
    Path f = dir.resolve("r.csv");
    Files.write(f, "\ufeffemail,phone,cc,first_name\r\n\r\na@example.com,+13125550142,,Ann\r\n   \r\nb@example.com,,,Bob".getBytes(StandardCharsets.UTF_8));
    List<Enrollment.RecipientInput> rows = read(f);
    assertEquals(List.of(3, 5), lines(rows));
    assertEquals("a@example.com", rows.get(0).email(), "the BOM is not part of the first column's name");
    assertEquals("Bob", rows.get(1).vars().get("first_name"));
  }

  @Test
  void aHeaderAfterEmptyLinesIsFoundOnItsLine() throws IOException {
    Path f = csv("\n\nemail,email\n");
    refused(f, 3, "column 'email' twice");
  }

  @Test
  void aFileWithNoRecipientsIsRefusedSayingSo() throws IOException {
    for (Path f : List.of(csv("email,phone,cc,first_name\n"), jsonl("\n\n"))) {
      CommsException e = assertThrows(CommsException.class, () -> read(f));
      assertEquals(ExitCode.USAGE, e.exitCode());
      assertTrue(e.getMessage().startsWith(f + " has no recipients") && e.getMessage().contains("nothing was added"), e.getMessage());
    }
  }

  @Test
  void aRowWithNeitherEmailNorPhoneIsARowNotAFileError() throws IOException {
    List<Enrollment.RecipientInput> rows = read(csv("email,phone,first_name\n,,Ann\n"));
    assertEquals(1, rows.size());
    assertNull(rows.get(0).email(), "an empty field is no address");
    assertNull(rows.get(0).phone());
    assertEquals(Map.of("first_name", "Ann"), rows.get(0).vars());
  }

  @Test
  void badQuotingIsRefusedWholeWithItsLine() throws IOException {
    refused(csv("email,first_name\na@example.com,Ann\nb@example.com,\"Bob\"x\nc@example.com,Cy\n"), 3, "quot", "Nothing was added");
    refused(csv("email,first_name\na@example.com,Ann\nb@example.com,\"Bob\nc@example.com,Cy\n"), 3, "quot", "Nothing was added");
  }

  @Test
  void aRaggedRowIsRefusedWholeWithItsLine() throws IOException {
    refused(csv("email,first_name,company\na@example.com,Ann,Co\nb@example.com,Bob\n"), 3, "2 fields where the header has 3");
    refused(csv("email,first_name\na@example.com,Ann,Smith, Co\n"), 2, "4 fields where the header has 2", "quote");
  }

  @Test
  void aHeaderMustNameEachColumnOnceAndHaveAnAddress() throws IOException {
    refused(csv("email,first_name,Email\na@example.com,A,b@example.com\n"), 1, "column 'email' twice");
    refused(csv("email,,company\n"), 1, "empty column name");
    refused(csv("name,company\nAnn,Co\n"), 1, "needs an email or a phone column");
  }

  @Test
  void variablesKeepTheirNamesAddressColumnsAnyCase() throws IOException {
    List<Enrollment.RecipientInput> rows = read(csv("Email,Phone,first_name,Order_Ref\na@example.com,+13125550142,Ann,A-1\n"));
    assertEquals("a@example.com", rows.get(0).email());
    assertEquals("+13125550142", rows.get(0).phone());
    assertEquals(Map.of("first_name", "Ann", "Order_Ref", "A-1"), rows.get(0).vars());
  }

  @Test
  void twoThousandRowsAreReadAndOneMoreIsRefusedWholeWithTheCount() throws IOException {
    StringBuilder b = new StringBuilder("email,first_name\n");
    for (int i = 0; i < 2000; i++) {
      b.append("r").append(i).append("@example.com,R\n");
    }
    assertEquals(2000, read(csv(b.toString())).size());
    Path over = csv(b.append("last@example.com,L\n").toString());
    CommsException e = assertThrows(CommsException.class, () -> read(over));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("2001 recipients") && e.getMessage().contains("at most 2000"), e.getMessage());
  }

  @Test
  void aFileThatIsNotUtf8IsRefused() throws IOException {
    Path f = dir.resolve("r.csv");
    Files.write(f, new byte[] {'e', 'm', 'a', 'i', 'l', '\n', 'a', (byte) 0xE9, '@', 'x', '.', 'c', 'o', 'm', '\n'});
    CommsException e = assertThrows(CommsException.class, () -> read(f));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
  }

  // ------------------------------------------------------------------ JSON Lines

  @Test
  void jsonLinesAreFlatObjectsOneALine() throws IOException {
    List<Enrollment.RecipientInput> rows =
        read(jsonl("{\"email\":\"a@example.com\",\"first_name\":\"Ann\",\"company\":\"Co\"}\n\n"
            + "{\"phone\":13125550142,\"cc\":\"c@example.com\",\"first_name\":\"Bo\"}\r\n"
            + "{\"first_name\":\"Nobody\",\"company\":null}"));
    assertEquals(List.of(1, 3, 4), lines(rows));
    assertEquals(Map.of("first_name", "Ann", "company", "Co"), rows.get(0).vars());
    assertEquals("13125550142", rows.get(1).phone());
    assertEquals("c@example.com", rows.get(1).cc());
    assertNull(rows.get(2).email(), "no address is the row's rejection, not the file's");
    assertEquals(Map.of("first_name", "Nobody"), rows.get(2).vars(), "null is no value");
  }

  @Test
  void aBadJsonLineIsRefusedWholeWithItsLine() throws IOException {
    refused(jsonl("{\"email\":\"a@example.com\"}\n{\"email\": \"b@example.com\",}\n"), 2, "not a JSON object", "Nothing was added");
    refused(jsonl("{\"email\":\"a@example.com\"}\n\n[\"b@example.com\"]\n"), 3, "not a JSON object");
    refused(jsonl("{\"email\":\"a@example.com\",\"tags\":[1,2]}\n"), 1, "\"tags\" is not a plain value");
    refused(jsonl("{\"email\":\"a@example.com\",\"Email\":\"b@example.com\"}\n"), 1, "\"Email\"", "twice");
  }
}
