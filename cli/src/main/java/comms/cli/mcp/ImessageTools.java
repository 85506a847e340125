package comms.cli.mcp;

import static comms.cli.mcp.Schema.object;
import static comms.cli.mcp.Schema.required;

import comms.cli.App;
import comms.cli.commands.send.Imessages;
import comms.core.approval.ApprovalRequired;
import comms.core.imessage.PhoneConsents;
import comms.core.operator.AuditTrail;
import comms.core.operator.GovernedChange;
import comms.core.operator.Identity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent tools of iMessage consent (personalize_register_recipient_phone,
 * personalize_revoke_recipient_phone): the same core change recipient.register-phone and
 * recipient.revoke-phone make, for the session's operator (on the iMessage allowlist), approved by a
 * person through MCP elicitation and refused when the client cannot ask one.
 */
final class ImessageTools {
  private ImessageTools() {}

  static List<AgentTool> all(App app) {
    Map<String, Object> result =
        object(required("action", "applied"), "action", Schema.string(null), "applied", Schema.bool(null), "phone_sha256", Schema.optionalString(null),
            "recipients_revoked", Schema.integer(null), "queued_cancelled", Schema.integer(null));
    return List.of(
        new AgentTool("register_recipient_phone", "Register a recipient's phone for iMessage",
            "Records the recipient's E.164 number with consent to iMessages, the ISO-8601 moment they agreed and the disclosure they agreed to, verbatim."
                + " Only for an operator on the iMessage allowlist; a person approves it. The audit row holds the number's SHA-256.",
            false,
            object(required("email", "phone", "consent_text", "consent_at"), "email", Schema.string("The recipient's email (as enrolled)."),
                "phone", Schema.string("Their number in E.164, such as +15551234567."), "consent_text", Schema.string("The disclosure they agreed to, word for word."),
                "consent_at", Schema.string("When they agreed, ISO-8601 (2026-11-20T15:04:00Z).")),
            result,
            (a, h) -> {
              PhoneConsents c = Imessages.consents(app);
              PhoneConsents.Change change = c.register(a.string("email"), a.string("phone"), a.string("consent_text"), a.string("consent_at"), app.identity());
              return run(app, c, change, "register-phone", a.string("phone").strip(), h);
            }),
        new AgentTool("revoke_recipient_phone", "Revoke a recipient's iMessage consent",
            "Turns the recipient's iMessage consent off, adds an iMessage suppression row for the number and fails what is still queued for it. A person approves it.",
            false, object(required("email"), "email", Schema.string("The recipient whose registered number loses its consent.")), result,
            (a, h) -> {
              PhoneConsents c = Imessages.consents(app);
              PhoneConsents.Change change = c.revoke(a.string("email"), "revoked by " + app.identity().owner() + " through an agent (" + app.identity().actor() + ")");
              return run(app, c, change, "revoke-phone", null, h);
            }));
  }

  private static Map<String, Object> run(App app, PhoneConsents c, PhoneConsents.Change change, String action, String phone, AgentTool.Human human) {
    Identity who = app.identity();
    c.refusal(who).ifPresent(r -> {
      throw GovernedChange.refuse(app.audit(), true, r, change.action());
    });
    if (!human.reachable()) {
      app.audit().record(change.action().with("outcome", "refused").with("error", "no_human_approval").with("exit_code", comms.core.ExitCode.POLICY.code()));
      throw new ApprovalRequired(
          "human", null, action + " needs a person to approve it, and this MCP client cannot ask one (it declared no elicitation); nothing was changed."
              + " Use a client that supports elicitation, or have the operator run comms recipient." + action);
    }
    Map<String, Object> done =
        new GovernedChange(app.audit(), human::approve).run(new GovernedChange.Request(change.action(), change.summary(), true), change.apply(), x -> x).orElseThrow();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("action", action);
    m.put("applied", true);
    if (phone != null) {
      m.put("phone_sha256", AuditTrail.hash(phone));
    }
    if (done.containsKey("recipients_revoked")) {
      m.put("recipients_revoked", done.get("recipients_revoked"));
      m.put("queued_cancelled", done.get("queued_cancelled"));
    }
    return m;
  }
}
