package comms.cli.output;

import comms.core.ExitCode;
import comms.core.contract.Source;
import comms.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error as the run's reader takes it: in table mode the sentence ({@code comms: …}); with
 * {@code --output json|yaml} one JSON object on one line,
 * {@code {"error": {"exit_code", "kind", "message", "file"?, "line"?, "column"?, "field"?}}}.
 */
public final class ErrorReport {
  private ErrorReport() {}

  /**
   * The one line to print on stderr. {@code at} is the place in a file when known (line 0: only the
   * file); {@code field} names the argument or field at fault when {@code at} has no field path.
   */
  public static String line(Format format, ExitCode code, String message, Source at, String field) {
    if (format == Format.table) {
      return "comms: " + message;
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("exit_code", code.code());
    e.put("kind", code.kind());
    e.put("message", message);
    if (at != null && at.file() != null && !at.file().isEmpty()) {
      e.put("file", at.file());
      if (at.line() > 0) {
        e.put("line", at.line());
        e.put("column", at.column());
      }
    }
    String f = at != null && at.path() != null && !at.path().isEmpty() ? at.path() : field;
    if (f != null && !f.isEmpty()) {
      e.put("field", f);
    }
    return Json.write(Map.of("error", e));
  }

  /**
   * The format {@code args} ask for, read without parsing them (the parse may be what failed): the
   * value of {@code -o}/{@code --output} in any spelling picocli accepts ({@code -o json}, {@code -ojson},
   * {@code -o=json}, {@code -vo json}, {@code --output=json}), before any {@code --}. A value that is
   * not a format (the bad argument may be that very value) means table.
   */
  public static Format requested(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      }
      String value = null;
      boolean found = false;
      if (a.equals("--output")) {
        found = true;
        value = i + 1 < args.length ? args[i + 1] : null;
      } else if (a.startsWith("--output=")) {
        found = true;
        value = a.substring("--output=".length());
      } else if (a.matches("-[hvV]*o.*")) {
        found = true;
        String rest = a.substring(a.indexOf('o') + 1);
        value = rest.isEmpty() ? (i + 1 < args.length ? args[i + 1] : null) : rest.startsWith("=") ? rest.substring(1) : rest;
      }
      if (found) {
        for (Format f : Format.values()) {
          if (f.name().equalsIgnoreCase(value)) {
            return f;
          }
        }
        return Format.table;
      }
    }
    return Format.table;
  }
}
