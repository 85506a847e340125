package comms.cli.serve;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /api/dashboard: the read-only HTML view of {@link StatusReport}, rendered on the server with
 * jmustache (HTML-escaped by default), no script, under a Content-Security-Policy that allows nothing
 * but this server's stylesheet. A browser reaches it with the session of a login link; a script with
 * its bearer token.
 */
final class DashboardRoutes implements RouteSet {
  static final String PATH = "/api/dashboard";

  /** Nothing runs, nothing loads but our own stylesheet, nothing frames the page, no form posts anywhere. */
  static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Template PAGE = Mustache.compiler().defaultValue("").compile(resource("dashboard.mustache"));
  private static final String CSS = resource("dashboard.css");

  @Override
  public void register(Router r, ServerContext ctx) {
    r.get(PATH, Router.Access.BEARER_OR_SESSION, call -> call.html(200, page(StatusReport.of(call.app(), call.who()))));
  }

  static String css() {
    return CSS;
  }

  static String page(StatusReport s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("viewer", s.viewer().owner());
    m.put("role", s.viewer().operator().role());
    m.put("admin", s.viewer().admin());
    m.put("asOf", ReadRoutes.at(s.at()));
    m.put("operators", s.operators().stream().map(o -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("email", o.email());
      x.put("name", o.name());
      x.put("role", o.role());
      x.put("active", o.active() ? "active" : "inactive");
      x.put("sentToday", o.sentToday());
      x.put("dailyCap", o.dailyCap());
      x.put("sentThisMinute", o.sentThisMinute());
      x.put("perMinuteCap", o.perMinuteCap());
      return x;
    }).toList());
    List<Map<String, Object>> seqs = new ArrayList<>();
    for (StatusReport.SequenceLine l : s.sequences()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("id", l.row().id());
      x.put("name", l.row().name());
      x.put("owner", l.row().owner());
      x.put("state", l.row().state());
      x.put("version", l.row().stateVersion());
      x.put("counts", counts(l.counts()));
      x.put("gate", l.gate() == null ? "" : l.gate().equals("none") ? "no approval needed" : "launch needs " + l.gate());
      seqs.add(x);
    }
    m.put("sequences", seqs);
    m.put("hasSequences", !seqs.isEmpty());
    m.put("nextDue", s.nextDue().stream().map(d -> Map.of(
        "seq", d.sequenceId(), "recipient", d.recipient() == null ? "" : d.recipient(), "stage", d.enrollment().nextStage(), "due", ReadRoutes.at(d.enrollment().nextDueAt()))).toList());
    m.put("hasNextDue", !s.nextDue().isEmpty());
    m.put("problems", s.problems().stream().map(p -> Map.of(
        "seq", p.sequenceId() != null ? p.sequenceId() : "transactional " + p.channel(), "enrollment", p.enrollmentId() != null ? p.enrollmentId() : p.deliveryId(),
        "stage", p.stage() == null ? "" : p.stage(), "status", p.status(), "error", p.error() == null ? "" : p.error(), "at", p.at() == null ? "" : ReadRoutes.at(p.at()))).toList());
    m.put("watches", s.watches().stream().map(w -> Map.of(
        "owner", w.owner(), "source", w.source() == null ? "none yet" : w.source(), "health", w.healthy() ? "healthy" : "unhealthy",
        "lastSuccess", w.lastSuccessAt() == null ? "never" : ReadRoutes.at(w.lastSuccessAt()), "lastError", w.lastError() == null ? "" : w.lastError(),
        "alert", w.alertedAt() == null ? "" : "alerted " + ReadRoutes.at(w.alertedAt()))).toList());
    m.put("hasWatches", !s.watches().isEmpty());
    m.put("hasProblems", !s.problems().isEmpty());
    m.put("approvals", s.approvals().stream().map(a -> Map.of("seq", a.sequenceId(), "id", a.id(), "kind", a.kind(), "state", a.state(), "expires", ReadRoutes.at(a.expiresAt()))).toList());
    m.put("hasApprovals", !s.approvals().isEmpty());
    m.put("imessage", comms.cli.commands.send.ImessageHealthView.tree(s.imessage()));
    return PAGE.execute(m);
  }

  private static String counts(Map<String, Integer> c) {
    StringBuilder sb = new StringBuilder();
    c.forEach((k, v) -> {
      if (v > 0) {
        sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v);
      }
    });
    return sb.length() == 0 ? "no recipients" : sb.toString();
  }

  private static String resource(String name) {
    try (InputStream in = DashboardRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
