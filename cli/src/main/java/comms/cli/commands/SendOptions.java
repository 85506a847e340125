package comms.cli.commands;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.PolicyContract;
import comms.core.json.Json;
import comms.core.send.PreviewRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The flags every send command shares (send.preview, send.execute), and the preview request they make. */
public final class SendOptions {
  /** The channels a transactional send can use. */
  public enum Channel {
    sms,
    email
  }

  /** The consent states, for --help and shell completion. */
  static final class ConsentStates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return PolicyContract.CONSENT_STATES.iterator();
    }
  }

  @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "How to send: ${COMPLETION-CANDIDATES}.")
  Channel channel;

  @Option(
      names = "--message-type",
      required = true,
      paramLabel = "TYPE",
      description = "A message type from the delivery contract, e.g. payment_needed (see comms templates.list).")
  String messageType;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "RECIPIENT",
      description = "SMS: an E.164 number such as +13125550142. Email: one address such as name@example.com.")
  String to;

  @Option(
      names = "--consent-state",
      required = true,
      paramLabel = "STATE",
      completionCandidates = ConsentStates.class,
      description = "The consent you hold for this recipient: ${COMPLETION-CANDIDATES}. A recorded opt-out overrides it.")
  String consentState;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Vars vars;

  /** Exactly one source of template variables. */
  static final class Vars {
    @Option(
        names = "--vars-json",
        paramLabel = "JSON",
        description = "Template variables as one JSON object of strings or numbers, e.g. '{\"customer_name\":\"Ana\"}'.")
    String json;

    @Option(names = "--vars-file", paramLabel = "FILE", description = "A file holding the template variables as one JSON object.")
    Path file;
  }

  @Option(
      names = "--at",
      paramLabel = "ISO-INSTANT",
      description = "Judge quiet hours as of this instant, e.g. 2026-11-22T15:00:00Z (default: now, or $COMMS_NOW).")
  String at;

  @Option(
      names = "--recipient-tz",
      paramLabel = "ZONE",
      description = "The recipient's IANA time zone, e.g. America/Denver (default: the number's zones, else the policy's default zone).")
  String recipientTz;

  /** The preview request these flags describe; every bad value is a usage error (exit 2) saying what to fix. */
  public PreviewRequest request(App app) {
    if (!PolicyContract.CONSENT_STATES.contains(consentState)) {
      throw new CommsException(
          ExitCode.USAGE, "--consent-state '" + consentState + "' is not known; use one of " + String.join(", ", PolicyContract.CONSENT_STATES));
    }
    Map<String, String> variables = vars.json != null ? variables(vars.json, "--vars-json") : variables(readFile(vars.file), "--vars-file " + vars.file);
    ZoneId zone = null;
    if (recipientTz != null) {
      try {
        zone = ZoneId.of(recipientTz);
      } catch (DateTimeException e) {
        throw new CommsException(ExitCode.USAGE, "--recipient-tz '" + recipientTz + "' is not an IANA time zone such as America/Chicago");
      }
    }
    boolean live = app.bindings().delivery().live();
    return new PreviewRequest(channel.name(), messageType, to, consentState, variables, instant(app), zone, live);
  }

  private Instant instant(App app) {
    if (at == null) {
      return app.clock().instant();
    }
    try {
      return Instant.parse(at);
    } catch (DateTimeException e) {
      try {
        return OffsetDateTime.parse(at).toInstant();
      } catch (DateTimeException e2) {
        throw new CommsException(
            ExitCode.USAGE, "--at '" + at + "' is not an ISO-8601 instant such as 2026-11-22T15:00:00Z or 2026-11-22T09:00:00-06:00");
      }
    }
  }

  /** Far more than any set of template variables; a bigger file is a mistake (or /dev/zero). */
  static final int VARS_FILE_MAX_BYTES = 1 << 20;

  private static String readFile(Path file) {
    try {
      byte[] bytes = comms.core.SmallFile.read(file, VARS_FILE_MAX_BYTES);
      return java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new CommsException(ExitCode.USAGE, "--vars-file " + file + " is not UTF-8 text; save it as UTF-8 JSON");
    } catch (comms.core.SmallFile.TooLarge e) {
      throw new CommsException(
          ExitCode.USAGE, "--vars-file " + file + " is larger than 1 MB; it must hold one JSON object of template variables");
    } catch (NoSuchFileException e) {
      throw new CommsException(ExitCode.USAGE, "--vars-file " + file + ": no such file; give the path of a JSON file with the template variables");
    } catch (IOException e) {
      throw new CommsException(ExitCode.USAGE, "--vars-file " + file + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  /** The most digits a number variable may have before or after its point. */
  static final int MAX_NUMBER_DIGITS = 64;

  /** A JSON object of strings and numbers as template variables; numbers keep their written form. */
  static Map<String, String> variables(String text, String from) {
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (RuntimeException e) {
      throw new CommsException(
          ExitCode.USAGE, from + " is not valid JSON (" + e.getMessage() + "); give one object such as {\"customer_name\":\"Ana\"}");
    }
    if (!(parsed instanceof Map<?, ?> m)) {
      throw new CommsException(ExitCode.USAGE, from + " must be one JSON object such as {\"customer_name\":\"Ana\"}, not " + kind(parsed));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object v = e.getValue();
      String text1;
      if (v instanceof String s) {
        text1 = s;
      } else if (v instanceof BigDecimal d) {
        // 1e999999999 is valid JSON; written out it would fill memory, so only everyday numbers are taken.
        if ((long) d.precision() - d.scale() > MAX_NUMBER_DIGITS || d.scale() > MAX_NUMBER_DIGITS) {
          throw new CommsException(
              ExitCode.USAGE,
              from + ": the value of '" + e.getKey() + "' is a number too long to write out (more than " + MAX_NUMBER_DIGITS
                  + " digits); give it as a string");
        }
        text1 = d.toPlainString();
      } else if (v instanceof Number n) {
        text1 = n.toString();
      } else {
        throw new CommsException(
            ExitCode.USAGE, from + ": the value of '" + e.getKey() + "' is " + kind(v) + "; template variables must be strings or numbers");
      }
      out.put(String.valueOf(e.getKey()), text1);
    }
    return out;
  }

  private static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof java.util.List) {
      return "a list";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    return v instanceof String ? "a string" : "a number";
  }
}
