package comms.cli.mcp;

import static comms.cli.mcp.Schema.bool;
import static comms.cli.mcp.Schema.integer;
import static comms.cli.mcp.Schema.object;
import static comms.cli.mcp.Schema.optionalString;
import static comms.cli.mcp.Schema.required;

import comms.cli.App;
import comms.cli.commands.status.AuditCommand;
import comms.cli.commands.Governance;
import comms.cli.commands.send.SendExecuteCommand;
import comms.cli.commands.send.SendPreviewCommand;
import comms.cli.commands.sequence.SequenceAddRecipientsCommand;
import comms.cli.commands.sequence.SequenceListCommand;
import comms.cli.commands.sequence.SequenceShowCommand;
import comms.cli.commands.sequence.Sequences;
import comms.cli.commands.snippet.SnippetViews;
import comms.cli.commands.snippet.Snippets;
import comms.cli.output.View;
import comms.core.approval.ApprovalRequired;
import comms.core.delivery.GovernedSend;
import comms.core.delivery.SendOutcome;
import comms.core.json.Json;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.send.PreviewRequest;
import comms.core.send.Previewer;
import comms.core.send.SendInput;
import comms.core.sequence.Enrollment;
import comms.core.sequence.RecipientsFile;
import comms.core.sequence.SequenceFile;
import comms.core.sequence.SequenceService;
import comms.core.store.SequenceStore.SequenceRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools comms gives an agent, each a thin call of the core service the matching command calls,
 * acting as the session's one identity (the operator named at start-up, with the agent as actor):
 * their sequences, caps, suppression list and audit rows. No argument names an operator.
 */
final class AgentTools {
  private final App app;

  AgentTools(App app) {
    this.app = app;
  }

  /** Every tool, in the order tools/list shows them. */
  List<AgentTool> all() {
    List<AgentTool> t = new ArrayList<>();
    t.add(new AgentTool("get_status", "Sequence status",
        "One of your sequences: state, state_version, stages, recipients by state, next due sends and problems.",
        true, ToolSchemas.sequenceOnly(), ToolSchemas.sequence(), (a, h) -> status(a.string("sequence_id"), null)));
    t.add(new AgentTool("list_sequences", "List sequences",
        "Your sequences (an admin operator's: everyone's) with state, state_version and recipients by state.",
        true, ToolSchemas.none(), ToolSchemas.sequences(), (a, h) -> tree(SequenceListCommand.view(app))));
    t.add(new AgentTool("search_snippets", "Search snippets",
        "The latest snippet versions you may read whose name, subject or body hold every word of query, best first (pin one on a stage as snippet: ID@VERSION).",
        true,
        object(required("query"), "query", Schema.string("Words to find (each matches as a prefix)."), "limit", integer("At most this many hits (default 20).")),
        object(required("query", "hits"), "query", Schema.string(null), "hits", Schema.array(null, Schema.anyObject(null))),
        (a, h) -> {
          Integer limit = a.optionalInteger("limit");
          return tree(new SnippetViews.SearchView(a.string("query"), Snippets.service(app).search(who(), a.string("query"), limit == null ? 0 : limit)));
        }));
    t.add(new AgentTool("audit", "Audit log",
        "The audit log, newest first: your operator's rows (an admin's: everyone's). Payloads hold no personal data.",
        true,
        object(List.of(), "limit", integer("At most this many rows (default 20)."), "action", optionalString("Only this action, e.g. sequence.launch."),
            "since", optionalString("Only rows at or after this ISO-8601 instant or UTC date.")),
        ToolSchemas.audit(),
        (a, h) -> tree(AuditCommand.query(app, a.optionalInteger("limit") == null ? 20 : a.optionalInteger("limit"), a.optionalString("action"), a.optionalString("since"), null))));
    t.add(new AgentTool("create_sequence", "Create a draft sequence",
        "A draft sequence from a sequence document (the schema of bindings/schemas/sequence.schema.json: name, zone, window, holidays, up to 5 stages)."
            + " It is owned by your operator; leave owner out.",
        false, createInput(), ToolSchemas.sequence(), (a, h) -> create(a)));
    t.add(new AgentTool("add_recipients", "Add recipients",
        "Adds recipients to a draft, active or paused sequence, every check at add time. Answers accepted[] and rejected[].reason"
            + " (suppressed:domain, suppressed_cc:address, invalid:double_at, already_active:SEQ, missing_variable:NAME, …)."
            + " Adding to an active sequence passes the recipient-count approval gate.",
        false,
        object(required("sequence_id", "recipients"), "sequence_id", ToolSchemas.SEQUENCE_ID,
            "recipients", Schema.array("Each recipient as one flat object: email and/or phone, optional cc, then the template variables.", recipientSchema()),
            "approval", ToolSchemas.APPROVAL, "dry_run", bool("Check every row and add nothing.")),
        ToolSchemas.enrollment(), (a, h) -> addRecipients(a)));
    t.add(new AgentTool("launch_sequence", "Launch a sequence",
        "Launches a draft past its recipient-count gate: 1–50 none; 51–500 approval confirm:APPROVER; 501–1,000 multipov:REVIEW_ID; 1,001+ token:TOKEN."
            + " Approvals are recorded by people (comms approval.confirm, approval.request, approval.issue); without the one needed, nothing changes.",
        false,
        object(required("sequence_id"), "sequence_id", ToolSchemas.SEQUENCE_ID, "state_version", integer("The state_version you read (default: the current one)."),
            "approval", ToolSchemas.APPROVAL),
        ToolSchemas.sequence(), (a, h) -> launch(a)));
    t.add(versioned("pause_sequence", "Pause a sequence", "Pauses an active sequence: nothing more is sent until it is resumed.",
        (s, v) -> service().pause(who(), s, v, app.audit())));
    t.add(versioned("resume_sequence", "Resume a sequence", "Resumes a paused sequence.", (s, v) -> service().resume(who(), s, v, app.audit())));
    t.add(versioned("stop_sequence", "Stop a sequence", "Stops a sequence for good: its live recipients end as stopped.",
        (s, v) -> service().stop(who(), s, v, app.audit())));
    t.add(new AgentTool("preview_send", "Preview a transactional message",
        "Renders one transactional message and runs every policy gate on it; sends nothing. verdict is allowed, blocked or deferred.",
        true, ToolSchemas.message(false), ToolSchemas.preview(), (a, h) -> tree(new SendPreviewCommand.PreviewView(previewer().preview(request(a))))));
    t.add(new AgentTool("send_transactional", "Send a transactional message",
        "Sends one transactional message through the governed path (gates, caps, idempotency, journal, audit)."
            + " A person must approve it: the server asks through MCP elicitation and refuses when the client cannot ask.",
        false, ToolSchemas.message(true), ToolSchemas.sent(), this::send));
    t.addAll(ImessageTools.all(app));
    return t;
  }

  // ------------------------------------------------------------------ calls

  private Map<String, Object> status(String id, String note) {
    return tree(SequenceShowCommand.view(app, service().mine(who(), id), note));
  }

  private Map<String, Object> create(Arguments a) {
    String text = Json.pretty(a.object("sequence"));
    SequenceService.Draft draft =
        SequenceFile.parse(
            text, a.where("sequence"), app.bindingsDir().resolve("schemas"), app.bindings().templates(), Sequences.rules(app), Snippets.service(app), who().owner());
    SequenceRow created = service().create(who(), draft, app.audit());
    return tree(SequenceShowCommand.view(app, created, "created as a draft; add recipients with add_recipients"));
  }

  private Map<String, Object> addRecipients(Arguments a) {
    SequenceRow seq = service().mine(who(), a.string("sequence_id"));
    List<Enrollment.RecipientInput> rows = RecipientsFile.fromObjects(a.objects("recipients"));
    Enrollment.Result r =
        Sequences.enrollment(app).add(who(), seq, rows, a.optionalString("approval"), !a.flag("dry_run"), app.bindings().delivery().live(), app.audit());
    return tree(new SequenceAddRecipientsCommand.AddView(seq.id(), r));
  }

  private Map<String, Object> launch(Arguments a) {
    SequenceService service = service();
    SequenceRow before = service.mine(who(), a.string("sequence_id"));
    Integer v = a.optionalInteger("state_version");
    SequenceRow after =
        service.launch(who(), before.id(), v == null ? before.stateVersion() : v, a.optionalString("approval"), SequenceService.Gate.NONE, app.audit());
    return tree(SequenceShowCommand.view(app, after, null));
  }

  private interface Change {
    SequenceRow apply(String sequenceId, int stateVersion);
  }

  private AgentTool versioned(String name, String title, String description, Change change) {
    return new AgentTool(name, title, description + " Name the state_version you read: a stale one is refused and nothing changes.",
        false, ToolSchemas.versioned(), ToolSchemas.sequence(), (a, h) -> {
          SequenceRow before = service().mine(who(), a.string("sequence_id"));
          return tree(SequenceShowCommand.view(app, change.apply(before.id(), a.integer("state_version")), null));
        });
  }

  private Map<String, Object> send(Arguments a, AgentTool.Human human) {
    PreviewRequest request = request(a);
    if (!human.reachable()) {
      // Never on the agent's word alone: without a person to ask, nothing is sent and the attempt is on record.
      app.audit().record(
          AuditTrail.Action.of("send.execute", "delivery", null)
              .with("outcome", "refused")
              .with("channel", request.channel())
              .with("message_type", request.messageType())
              .with("recipient_sha256", AuditTrail.hash(request.to()))
              .with("error", "no_human_approval")
              .with("exit_code", comms.core.ExitCode.POLICY.code()));
      throw new ApprovalRequired(
          "human", null,
          "send_transactional needs a person to approve the message, and this MCP client cannot ask one (it declared no elicitation);"
              + " nothing was sent. Use a client that supports elicitation, or have the operator run comms send.execute");
    }
    SendOutcome outcome =
        Governance.send(app).send(new GovernedSend.Request(request, a.optionalString("idempotency_key"), true, false, app.runKey(), "send.execute"), human::approve);
    Map<String, Object> tree = tree(new SendExecuteCommand.ExecuteView(outcome.detail(), app.runKey()));
    if (outcome.detail().exit().code() != 0) {
      throw new ToolRefusal(outcome.detail().exit(), GovernedSend.explain(who().owner(), outcome), tree);
    }
    return tree;
  }

  // ------------------------------------------------------------------ wiring

  private PreviewRequest request(Arguments a) {
    String consent = SendInput.consentState(a.string("consent_state"), a.where("consent_state"));
    Object vars = a.raw("vars");
    return new PreviewRequest(
        a.string("channel"), a.string("message_type"), a.string("to"), consent,
        SendInput.variables(vars == null ? Map.of() : vars, a.where("vars")),
        SendInput.instant(a.optionalString("at"), app.clock().instant(), a.where("at")),
        SendInput.zone(a.optionalString("recipient_tz"), a.where("recipient_tz")),
        app.bindings().delivery().live());
  }

  private Previewer previewer() {
    return Previewer.from(app.bindings(), app.store()::consentState, app.store()::suppressionMatch);
  }

  private SequenceService service() {
    return Sequences.service(app);
  }

  private Identity who() {
    return app.identity();
  }

  /**
   * create_sequence's arguments: {@code sequence} is the sequence document under the schema the bindings
   * (or comms) carry, exactly what sequence.create reads; its {@code $defs} move to the root, where its
   * {@code #/$defs/…} references point.
   */
  private Map<String, Object> createInput() {
    String text = SequenceFile.schemaText(app.bindingsDir().resolve("schemas"));
    Map<String, Object> document = new LinkedHashMap<>(Json.parseObject(text));
    document.remove("$schema");
    document.remove("$id");
    Object defs = document.remove("$defs");
    Map<String, Object> input = object(required("sequence"), "sequence", document);
    if (defs != null) {
      input.put("$defs", defs);
    }
    return input;
  }

  private static Map<String, Object> recipientSchema() {
    Map<String, Object> m =
        object(List.of(), "email", optionalString("The recipient's address."), "phone", optionalString("An E.164 number."), "cc", optionalString("One CC address."));
    m.put("additionalProperties", Map.of("type", List.of("string", "number", "null")));
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tree(View v) {
    return (Map<String, Object>) v.tree();
  }
}
