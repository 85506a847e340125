package comms.core.infra;

import comms.core.SmallFile;
import comms.core.contract.ContractException;
import comms.core.contract.Source;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A DNS zone in RFC 1035 master-file form, read offline with dnsjava's parser ({@link Master}); nothing
 * here ever sends a DNS query. Each record keeps the line it was written on, so a plan can cite it.
 */
public record ZoneFile(String file, String origin, List<Entry> records) {
  /** Zone files for one domain are small; a bigger one is not the file meant. */
  public static final int MAX_BYTES = 1_000_000;

  public ZoneFile {
    records = List.copyOf(records);
  }

  /**
   * One resource record. {@code owner} is the absolute name in lower case without its final dot;
   * {@code data} is the TXT strings joined (RFC 7208 §3.3, RFC 6376 §3.6.2.2) or the rdata as text.
   */
  public record Entry(Source source, String owner, String type, String data, String target) {}

  /** The records at {@code owner} (no final dot, any case) of {@code type}. */
  public List<Entry> at(String owner, String type) {
    String o = owner.toLowerCase(Locale.ROOT);
    return records.stream().filter(e -> e.owner().equals(o) && e.type().equals(type)).toList();
  }

  /** Reads {@code file} for the zone {@code origin} (a domain, no final dot); {@code displayName} is how refusals name it. */
  public static ZoneFile read(Path file, String origin, String displayName) {
    byte[] bytes;
    try {
      bytes = SmallFile.read(file, MAX_BYTES);
    } catch (SmallFile.TooLarge e) {
      throw new ContractException(displayName, "zone file is larger than " + MAX_BYTES + " bytes; that is not one domain's zone");
    } catch (NoSuchFileException e) {
      throw new ContractException(displayName, "zone file not found");
    } catch (IOException e) {
      throw new ContractException(displayName, "cannot read the zone file: " + e.getMessage());
    }
    return parse(new String(bytes, StandardCharsets.UTF_8), origin, displayName);
  }

  /** Parses zone text; a syntax error is refused at its line. $INCLUDE is refused: a plan reads one file. */
  public static ZoneFile parse(String text, String origin, String displayName) {
    List<Integer> lines = recordLines(text);
    Name originName;
    try {
      originName = Name.fromString(origin.endsWith(".") ? origin : origin + ".");
    } catch (TextParseException e) {
      throw new ContractException(displayName, "'" + origin + "' is not a domain name: " + e.getMessage());
    }
    List<Entry> out = new ArrayList<>();
    try (Master m = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), originName, 3600)) {
      m.disableIncludes(true);
      m.expandGenerate(false);
      Record r;
      while ((r = m.nextRecord()) != null) {
        int i = out.size();
        int line = i < lines.size() ? lines.get(i) : 0;
        out.add(entry(r, new Source(displayName, line, 1, "")));
      }
    } catch (IOException e) {
      throw refusal(e, displayName);
    }
    return new ZoneFile(displayName, origin.toLowerCase(Locale.ROOT), out);
  }

  private static Entry entry(Record r, Source at) {
    String owner = absolute(r.getName());
    String type = Type.string(r.getType());
    String data;
    if (r instanceof TXTRecord t) {
      data = String.join("", t.getStrings());
    } else {
      data = r.rdataToString();
    }
    Name additional = r.getAdditionalName();
    String target = additional != null ? absolute(additional) : null;
    if (r instanceof org.xbill.DNS.CNAMERecord c) {
      target = absolute(c.getTarget());
    }
    return new Entry(at, owner, type, data, target);
  }

  static String absolute(Name n) {
    String s = n.toString().toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static final Pattern AT_LINE = Pattern.compile("^(?:.*?):(\\d+): (.*)$", Pattern.DOTALL);

  /** dnsjava's message ("<none>:12: …") as a refusal at that line of the file. */
  private static ContractException refusal(IOException e, String displayName) {
    String msg = String.valueOf(e.getMessage());
    Matcher m = AT_LINE.matcher(msg);
    if (m.matches()) {
      return new ContractException(
          new Source(displayName, Integer.parseInt(m.group(1)), 1, ""), "zone file syntax error: " + m.group(2) + "; fix the record (RFC 1035 master-file form)");
    }
    return new ContractException(displayName, "zone file syntax error: " + msg);
  }

  /**
   * The line each resource record starts on, in file order: a record is a logical line (physical lines
   * joined inside parentheses), not blank or a comment, and not a $ directive. dnsjava returns records
   * in the same order, one per logical line, which is how each record gets its line.
   */
  static List<Integer> recordLines(String text) {
    List<Integer> starts = new ArrayList<>();
    int line = 1;
    int depth = 0;
    boolean quoted = false;
    boolean comment = false;
    int entryLine = 1;
    StringBuilder entry = new StringBuilder();
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '\n';
      if (c == '\n') {
        comment = false;
        if (depth == 0 || i == text.length()) {
          String e = entry.toString();
          if (!e.isBlank() && !e.startsWith("$")) {
            starts.add(entryLine);
          }
          entry.setLength(0);
          depth = 0;
          quoted = false;
          entryLine = line + 1;
        } else {
          entry.append(' ');
        }
        line++;
        continue;
      }
      if (comment) {
        continue;
      }
      if (quoted) {
        if (c == '\\' && i + 1 < text.length()) {
          entry.append(c).append(text.charAt(++i));
          continue;
        }
        if (c == '"') {
          quoted = false;
        }
        entry.append(c);
        continue;
      }
      if (c == ';') {
        comment = true;
      } else if (c == '"') {
        quoted = true;
        entry.append(c);
      } else if (c == '(') {
        depth++;
        entry.append(' ');
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
        entry.append(' ');
      } else {
        entry.append(c);
      }
    }
    return starts;
  }
}
