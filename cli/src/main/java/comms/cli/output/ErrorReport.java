package comms.cli.output;

import comms.core.ExitCode;
import comms.core.contract.Source;
import comms.core.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A refusal as a program reads it: with --output json or yaml, one JSON object on stderr
 * ({@code {"error": {"exit_code", "kind", "message", "file"?, "line"?, "column"?, "field"?}}}); in
 * table mode the human sentence, unchanged.
 */
public final class ErrorReport {
  private ErrorReport() {}

  /** The one line to print for an error ending the run with {@code code}; {@code at} the place in a file, when known. */
  public static String line(Format format, ExitCode code, String message, Source at) {
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
      if (at.path() != null && !at.path().isEmpty()) {
        e.put("field", at.path());
      }
    }
    return Json.write(Map.of("error", e));
  }

  /** The format the arguments ask for, read before (or without) parsing them: a refused --output value means table. */
  public static Format requested(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String v = null;
      if ((a.equals("--output") || a.equals("-o")) && i + 1 < args.size()) {
        v = args.get(i + 1);
      } else if (a.startsWith("--output=")) {
        v = a.substring("--output=".length());
      }
      if (v != null) {
        for (Format f : Format.values()) {
          if (f.name().equalsIgnoreCase(v)) {
            return f;
          }
        }
        return Format.table;
      }
    }
    return Format.table;
  }
}
