package comms.core.send;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.PolicyContract;
import comms.core.json.Json;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules for what a caller gives a send (the CLI's flags, an API body, an agent's tool call): a
 * known consent state, template variables that are strings or everyday numbers, an IANA zone, an
 * ISO-8601 instant. Each refusal is a usage error (exit 2) naming {@code from}, the flag or field.
 */
public final class SendInput {
  private SendInput() {}

  /** The most digits a number variable may have before or after its point. */
  public static final int MAX_NUMBER_DIGITS = 64;

  /** {@code state}, when it is one of the policy's consent states. */
  public static String consentState(String state, String from) {
    if (!PolicyContract.CONSENT_STATES.contains(state)) {
      throw new CommsException(
          ExitCode.USAGE, from + " '" + state + "' is not known; use one of " + String.join(", ", PolicyContract.CONSENT_STATES));
    }
    return state;
  }

  /** Template variables from JSON text holding one object of strings and numbers. */
  public static Map<String, String> variables(String text, String from) {
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (RuntimeException e) {
      throw new CommsException(
          ExitCode.USAGE, from + " is not valid JSON (" + e.getMessage() + "); give one object such as {\"customer_name\":\"Ana\"}");
    }
    return variables(parsed, from);
  }

  /** Template variables from a parsed JSON value, which must be one object of strings and numbers; numbers keep their written form. */
  public static Map<String, String> variables(Object parsed, String from) {
    if (!(parsed instanceof Map<?, ?> m)) {
      throw new CommsException(ExitCode.USAGE, from + " must be one JSON object such as {\"customer_name\":\"Ana\"}, not " + kind(parsed));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Object v = e.getValue();
      String text;
      if (v instanceof String s) {
        text = s;
      } else if (v instanceof BigDecimal d) {
        // 1e999999999 is valid JSON; written out it would fill memory, so only everyday numbers are taken.
        if ((long) d.precision() - d.scale() > MAX_NUMBER_DIGITS || d.scale() > MAX_NUMBER_DIGITS) {
          throw new CommsException(
              ExitCode.USAGE,
              from + ": the value of '" + e.getKey() + "' is a number too long to write out (more than " + MAX_NUMBER_DIGITS
                  + " digits); give it as a string");
        }
        text = d.toPlainString();
      } else if (v instanceof Double || v instanceof Float) {
        text = new BigDecimal(v.toString()).toPlainString(); // an agent's JSON arrives parsed by Jackson
      } else if (v instanceof Number n) {
        text = n.toString();
      } else {
        throw new CommsException(
            ExitCode.USAGE, from + ": the value of '" + e.getKey() + "' is " + kind(v) + "; template variables must be strings or numbers");
      }
      out.put(String.valueOf(e.getKey()), text);
    }
    return out;
  }

  /** The recipient's IANA zone, or null when none is given. */
  public static ZoneId zone(String zone, String from) {
    if (zone == null) {
      return null;
    }
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new CommsException(ExitCode.USAGE, from + " '" + zone + "' is not an IANA time zone such as America/Chicago");
    }
  }

  /** The instant to judge quiet hours at: {@code at} as ISO-8601 (with Z or an offset), else {@code now}. */
  public static Instant instant(String at, Instant now, String from) {
    if (at == null) {
      return now;
    }
    try {
      return Instant.parse(at);
    } catch (DateTimeException e) {
      try {
        return OffsetDateTime.parse(at).toInstant();
      } catch (DateTimeException e2) {
        throw new CommsException(
            ExitCode.USAGE, from + " '" + at + "' is not an ISO-8601 instant such as 2026-11-22T15:00:00Z or 2026-11-22T09:00:00-06:00");
      }
    }
  }

  private static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "a list";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    return v instanceof String ? "a string" : "a number";
  }
}
