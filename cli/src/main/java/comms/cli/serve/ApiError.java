package comms.cli.serve;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Refused;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer that is not a success: its HTTP status, a stable machine code, a sentence saying what was
 * wrong and what to do, and for a recipient-count approval the gate that applies. Every error the
 * server sends has this one shape: {@code {"error": {"code", "message", "gate"?}}}.
 */
final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final String gate;

  ApiError(int status, String code, String message) {
    this(status, code, message, null);
  }

  ApiError(int status, String code, String message, String gate) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.gate = gate;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  String gate() {
    return gate;
  }

  /** The body: {@code {"error": {"code", "message", "gate"?}}}. */
  Map<String, Object> body() {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", code);
    e.put("message", getMessage());
    if (gate != null) {
      e.put("gate", gate);
    }
    return Map.of("error", e);
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "bad_request", message);
  }

  static ApiError unauthorized(String code, String message) {
    return new ApiError(401, code, message);
  }

  /**
   * What a refusal of core means over HTTP: the kinds of {@link Refused} get their own status (404,
   * 403, 409, 413); otherwise the exit code decides (bad input 400, a contract or rule refusal 422, a
   * policy block 403, anything else 500 with no detail).
   */
  static ApiError of(CommsException e) {
    if (e instanceof Refused r) {
      switch (r.why()) {
        case NOT_FOUND:
          return new ApiError(404, "not_found", e.getMessage());
        case OTHER_OPERATOR:
          return new ApiError(403, "other_operator", e.getMessage());
        case APPROVAL_REQUIRED:
          return new ApiError(
              403, "approval_required",
              e.getMessage() + ". Over the API, cite it in the header X-Approval: " + r.gate() + ":" + placeholder(r.gate()), r.gate());
        case STALE_VERSION:
          return new ApiError(409, "stale_state_version", e.getMessage().replace("--state-version", "\"state_version\":"));
        case TOO_MANY:
          return new ApiError(413, "too_many_recipients", e.getMessage());
        default:
          break;
      }
    }
    ExitCode c = e.exitCode();
    if (c == ExitCode.USAGE) {
      return badRequest(e.getMessage());
    }
    if (c == ExitCode.CONTRACT) {
      return new ApiError(422, "refused", e.getMessage());
    }
    if (c == ExitCode.POLICY || c == ExitCode.DECLINED) {
      return new ApiError(403, "policy", e.getMessage());
    }
    if (c == ExitCode.PROVIDER) {
      return new ApiError(502, "provider", e.getMessage());
    }
    return internal();
  }

  /** A failure nobody planned for: no detail goes out (it is logged on the server's stderr). */
  static ApiError internal() {
    return new ApiError(500, "internal", "internal error; nothing more is said here, the server's log has the details");
  }

  private static String placeholder(String gate) {
    if ("confirm".equals(gate)) {
      return "APPROVER_EMAIL";
    }
    if ("multipov".equals(gate)) {
      return "REVIEW_ID";
    }
    return "TOKEN";
  }
}
