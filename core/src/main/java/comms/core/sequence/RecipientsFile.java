package comms.core.sequence;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.json.Json;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the recipients of a {@code sequence.add-recipients} call: CSV with a header ({@code email,phone,cc,}
 * then the variables; RFC 4180 quoting through Apache Commons CSV) or JSON Lines (one flat object a line).
 * A file that cannot be read whole is refused whole (exit 2) with the file and line, so nothing is
 * added from half a file; more rows than a call may carry are refused with the count.
 */
public final class RecipientsFile {
  /** Larger files are refused before reading: 2,000 rows of recipients fit easily. */
  public static final long MAX_BYTES = 5_000_000;

  /** The columns that are the recipient's addresses; every other column is a variable. */
  static final Set<String> ADDRESS_COLUMNS = Set.of("email", "phone", "cc");

  private RecipientsFile() {}

  /** Every row of {@code file} with its line, at most {@code maxRows} of them. */
  public static List<Enrollment.RecipientInput> read(Path file, int maxRows) {
    String text = text(file);
    boolean jsonl = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
    List<Enrollment.RecipientInput> rows = jsonl ? jsonl(file, text) : csv(file, text);
    if (rows.size() > maxRows) {
      throw new CommsException(
          ExitCode.USAGE,
          file + " has " + rows.size() + " recipients; one call adds at most " + maxRows + ". Nothing was added: split the file into parts of at most "
              + maxRows + " rows");
    }
    if (rows.isEmpty()) {
      throw new CommsException(
          ExitCode.USAGE,
          file + " has no recipients" + (jsonl ? "" : " (a header and no rows)") + "; nothing was added: put one recipient per " + (jsonl ? "line" : "row after the header"));
    }
    return rows;
  }

  static String text(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new CommsException(ExitCode.USAGE, file + " is not a regular file; give a CSV (.csv) or JSON Lines (.jsonl) file of recipients");
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new CommsException(ExitCode.USAGE, file + " is " + size + " bytes; a recipients file is limited to " + MAX_BYTES + " bytes (about 2,000 rows is the most one call adds)");
      }
      String t =
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
      return t.startsWith("\ufeff") ? t.substring(1) : t;
    } catch (NoSuchFileException e) {
      throw new CommsException(ExitCode.USAGE, file + " not found; give the path of a CSV or JSON Lines file of recipients");
    } catch (CharacterCodingException e) {
      throw new CommsException(ExitCode.USAGE, file + " is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in a spreadsheet) and try again");
    } catch (IOException e) {
      throw new CommsException(ExitCode.USAGE, "cannot read " + file + ": " + e.getMessage());
    }
  }

  static List<Enrollment.RecipientInput> csv(Path file, String text) {
    CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).setTrim(false).get();
    Lines lines = new Lines(text);
    List<Enrollment.RecipientInput> out = new ArrayList<>();
    List<String> header = null;
    long linesRead = 0;
    try (CSVParser p = CSVParser.parse(new StringReader(text), format)) {
      for (CSVRecord r : p) {
        int line = lines.lineAt(r.getCharacterPosition());
        linesRead = p.getCurrentLineNumber();
        if (r.size() == 1 && r.get(0).isBlank()) {
          continue; // a line of spaces is as empty as an empty one
        }
        if (header == null) {
          header = header(file, line, r);
          continue;
        }
        if (r.size() != header.size()) {
          throw new CommsException(
              ExitCode.USAGE, file + ":" + line + ": " + r.size() + " fields where the header has " + header.size() + "; quote values that hold commas. Nothing was added");
        }
        String email = null;
        String phone = null;
        String cc = null;
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
          String v = r.get(i);
          switch (header.get(i).toLowerCase(Locale.ROOT)) {
            case "email" -> email = v;
            case "phone" -> phone = v;
            case "cc" -> cc = v;
            default -> vars.put(header.get(i), v);
          }
        }
        out.add(new Enrollment.RecipientInput(line, email, phone, cc, vars));
      }
    } catch (IOException | IllegalStateException | UncheckedIOException e) {
      String why = String.valueOf(e.getMessage());
      String problem =
          why.contains("EOF reached before encapsulated token finished")
              ? "a quoted value is never closed"
              : why.contains("Invalid character between encapsulated token and delimiter") ? "text follows the closing quote of a value" : "the quoting is broken";
      throw new CommsException(
          ExitCode.USAGE,
          file + ":" + lines.nextRowAfter(linesRead) + ": not valid CSV: " + problem
              + " in the row that starts here; put a value holding a comma, a quote or a line break in double quotes and double each quote"
              + " inside it (\"\"). Nothing was added");
    }
    return out;
  }

  /** The column names, each once; email, phone and cc in any case, the variables as written. */
  private static List<String> header(Path file, int line, CSVRecord r) {
    List<String> header = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String h : r) {
      String name = h.strip();
      String folded = name.toLowerCase(Locale.ROOT);
      if (name.isEmpty() || !seen.add(folded)) {
        throw new CommsException(
            ExitCode.USAGE,
            file + ":" + line + ": " + (name.isEmpty() ? "an empty column name" : "column '" + folded + "' twice") + " in the header; name each column once");
      }
      header.add(ADDRESS_COLUMNS.contains(folded) ? folded : name);
    }
    if (!header.contains("email") && !header.contains("phone")) {
      throw new CommsException(ExitCode.USAGE, file + ":" + line + ": the header needs an email or a phone column (email,phone,cc, then the variables)");
    }
    return header;
  }

  /** Line numbers of a text by character offset, counting LF, CRLF and a lone CR as one line break each. */
  private static final class Lines {
    private final String text;
    private final int[] starts;

    Lines(String text) {
      this.text = text;
      List<Integer> s = new ArrayList<>();
      s.add(0);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
          s.add(i + 1);
        }
      }
      starts = s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The 1-based line of the row starting at {@code offset}; the parser's offset may still be before the empty lines it skipped. */
    int lineAt(long offset) {
      int p = (int) offset;
      while (p < text.length() && (text.charAt(p) == '\r' || text.charAt(p) == '\n')) {
        p++;
      }
      int i = Arrays.binarySearch(starts, p);
      return i >= 0 ? i + 1 : -i - 1;
    }

    /** The first line after {@code linesRead} complete lines that holds more than spaces: where the next row starts. */
    int nextRowAfter(long linesRead) {
      int line = (int) linesRead + 1;
      while (line < starts.length && text.substring(starts[line - 1], starts[line]).isBlank()) {
        line++;
      }
      return line;
    }
  }

  static List<Enrollment.RecipientInput> jsonl(Path file, String text) {
    List<Enrollment.RecipientInput> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String l = lines[n].strip();
      if (l.isEmpty()) {
        continue;
      }
      Map<String, Object> m;
      try {
        m = Json.parseObject(l);
      } catch (Json.JsonException e) {
        throw new CommsException(ExitCode.USAGE, file + ":" + (n + 1) + ": not a JSON object (" + e.getMessage() + "). Nothing was added");
      }
      Map<String, String> vars = new LinkedHashMap<>();
      String[] address = new String[3];
      Set<String> addressKeys = new HashSet<>();
      for (Map.Entry<String, Object> e : m.entrySet()) {
        Object v = e.getValue();
        if (v instanceof Map || v instanceof List) {
          throw new CommsException(ExitCode.USAGE, file + ":" + (n + 1) + ": \"" + e.getKey() + "\" is not a plain value; each line is a flat object like a CSV row");
        }
        String s = v == null ? null : String.valueOf(v);
        String k = e.getKey().toLowerCase(Locale.ROOT);
        if (ADDRESS_COLUMNS.contains(k) && !addressKeys.add(k)) {
          throw new CommsException(ExitCode.USAGE, file + ":" + (n + 1) + ": \"" + e.getKey() + "\" gives the " + k + " twice; give it once. Nothing was added");
        }
        switch (k) {
          case "email" -> address[0] = s;
          case "phone" -> address[1] = s;
          case "cc" -> address[2] = s;
          default -> {
            if (s != null) {
              vars.put(e.getKey(), s); // null is no value, as a missing key is
            }
          }
        }
      }
      out.add(new Enrollment.RecipientInput(n + 1, address[0], address[1], address[2], vars));
    }
    return out;
  }

  /** Rows given as JSON objects (the API's {@code recipients[]}), numbered from 1. */
  public static List<Enrollment.RecipientInput> fromObjects(List<Map<String, Object>> objects) {
    StringBuilder sb = new StringBuilder();
    for (Map<String, Object> o : objects) {
      sb.append(Json.write(o)).append('\n');
    }
    return jsonl(Path.of("recipients"), sb.toString());
  }
}
