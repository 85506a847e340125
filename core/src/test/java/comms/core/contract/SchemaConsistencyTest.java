package comms.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import comms.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The two layers that guard a contract agree: every sample contract and a set of broken variants go
 * through the JSON Schema (our evaluator AND the reference validator, networknt, which must agree on
 * every case) and through the hand-written reader. Where they are allowed to differ is listed per case:
 * a few rules JSON Schema cannot say (time zones, regex syntax, unique names) are the reader's alone,
 * and the schema is stricter only about a key written with no value and a version other than 1.
 * Anchors, aliases and tags never reach either layer: parsing refuses them (YamlRefusalsTest).
 */
class SchemaConsistencyTest {
  static final Path SAMPLE = Path.of("..", "bindings");
  static final SchemaRegistry REFERENCE = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  /** Who refuses a case. */
  enum Expect {
    BOTH_ACCEPT(true, true),
    BOTH_REFUSE(false, false),
    /** A rule JSON Schema cannot express; only the reader refuses. */
    READER_ONLY(true, false),
    /** The schema is deliberately stricter than the reader. */
    SCHEMA_ONLY(false, true);

    final boolean schema;
    final boolean reader;

    Expect(boolean schema, boolean reader) {
      this.schema = schema;
      this.reader = reader;
    }
  }

  record Case(ContractKind kind, String name, String from, String to, Expect expect) {}

  static final Map<ContractKind, Function<YamlValue, ?>> READERS =
      Map.of(
          ContractKind.STACK, StackContract::from,
          ContractKind.PROVIDERS, ProvidersContract::from,
          ContractKind.POLICY, PolicyContract::from,
          ContractKind.TEMPLATES, TemplatesCatalog::from,
          ContractKind.DELIVERY, DeliveryContract::from,
          ContractKind.CAPABILITIES, CapabilityRegistry::from,
          ContractKind.INFRA, InfraTargets::from,
          ContractKind.INFRA_PROFILES, InfraProfiles::from,
          ContractKind.OPERATORS, OperatorsContract::from,
          ContractKind.SEQUENCES, SequencesContract::from);

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    for (ContractKind k : ContractKind.values()) {
      c.add(new Case(k, "sample", null, null, Expect.BOTH_ACCEPT));
    }
    ContractKind s = ContractKind.STACK;
    c.add(new Case(s, "vm_id as text", "vm_id: 214", "vm_id: two-fourteen", Expect.BOTH_REFUSE));
    c.add(new Case(s, "port above range", "port: 587", "port: 70000", Expect.BOTH_REFUSE));
    c.add(new Case(s, "port zero", "port: 587", "port: 0", Expect.BOTH_REFUSE));
    c.add(new Case(s, "unknown protocol", "port: 587 }", "port: 587, protocol: sctp }", Expect.BOTH_REFUSE));
    c.add(new Case(s, "udp protocol", "port: 587 }", "port: 587, protocol: udp }", Expect.BOTH_ACCEPT));
    c.add(new Case(s, "unknown send-test mode", "mode: simulation", "mode: production", Expect.BOTH_REFUSE));
    c.add(new Case(s, "unknown backend", "execution_backend: microsoft-graph", "execution_backend: smtp", Expect.BOTH_REFUSE));
    c.add(new Case(s, "address without @", "- address: orders@lakesideprint.com", "- address: orders", Expect.BOTH_REFUSE));
    c.add(new Case(s, "active as text", "active: true", "active: \"yes\"", Expect.BOTH_REFUSE));
    c.add(new Case(s, "unknown key in pilot", "  execution_backend:", "  execution_backnd: x\n  execution_backend:", Expect.BOTH_REFUSE));
    c.add(new Case(s, "missing backend", "  execution_backend: microsoft-graph\n", "", Expect.BOTH_REFUSE));
    c.add(new Case(s, "catalog row without subject", "      subject: Quote request - 500 flyers\n", "", Expect.BOTH_REFUSE));
    c.add(new Case(s, "blank stage", "stage: pilot", "stage: \" \"", Expect.BOTH_REFUSE));
    c.add(new Case(s, "numbers read as text", "subject_prefix: \"[comms pilot]\"", "subject_prefix: 42", Expect.BOTH_ACCEPT));
    c.add(new Case(s, "numeric catalog id", "id: sim-0001", "id: 1", Expect.BOTH_ACCEPT));
    c.add(new Case(s, "catalog misspelt", "  catalog:", "  unused_catalog:", Expect.BOTH_REFUSE));
    c.add(new Case(s, "version 2", "version: 1", "version: 2", Expect.SCHEMA_ONLY));
    c.add(new Case(s, "key with no value", "display_name: Lakeside Print Orders", "display_name:", Expect.SCHEMA_ONLY));
    c.add(new Case(s, "vm_id beyond int", "vm_id: 214", "vm_id: 99999999999", Expect.READER_ONLY));
    c.add(new Case(s, "vm_id written 214.0", "vm_id: 214", "vm_id: 214.0", Expect.READER_ONLY));

    ContractKind p = ContractKind.PROVIDERS;
    c.add(new Case(p, "secret value instead of a name", "api_key: COMMS_RESEND_API_KEY", "api_key: re_live_abc123", Expect.BOTH_REFUSE));
    c.add(new Case(p, "plain http to a real host", "base_url: https://api.resend.com", "base_url: http://api.resend.com", Expect.BOTH_REFUSE));
    c.add(new Case(p, "loopback http", "base_url: https://api.resend.com", "base_url: http://127.0.0.1:4010", Expect.BOTH_ACCEPT));
    c.add(new Case(p, "authority_url on twilio", "base_url: https://api.twilio.com", "base_url: https://api.twilio.com\n    authority_url: https://login.microsoftonline.com", Expect.BOTH_REFUSE));
    c.add(new Case(p, "no authority_url on graph", "    authority_url: https://login.microsoftonline.com\n", "", Expect.BOTH_ACCEPT));
    c.add(new Case(p, "unknown kind", "kind: resend", "kind: sendgrid", Expect.BOTH_REFUSE));
    c.add(new Case(p, "unknown channel", "channels: [sms]", "channels: [fax]", Expect.BOTH_REFUSE));
    c.add(new Case(p, "missing env", "    env:\n      api_key: COMMS_RESEND_API_KEY\n", "", Expect.BOTH_REFUSE));
    c.add(new Case(p, "timeout as text", "base_url: https://api.twilio.com", "base_url: https://api.twilio.com\n    read_timeout_ms: soon", Expect.BOTH_REFUSE));
    c.add(new Case(p, "from as a number", "from: \"+13125550142\"", "from: 13125550142", Expect.BOTH_ACCEPT));
    c.add(new Case(p, "provider with no settings", "  resend:\n    kind: resend\n    channels: [email]\n    base_url: https://api.resend.com\n    from: \"Lakeside Print <orders@lakesideprint.com>\"\n    env:\n      api_key: COMMS_RESEND_API_KEY\n", "  resend:\n", Expect.BOTH_REFUSE));
    c.add(new Case(p, "misspelt key", "channels: [email]", "channels: [email]\n    form: x", Expect.BOTH_REFUSE));
    c.add(new Case(p, "token_url on resend", "base_url: https://api.resend.com", "base_url: https://api.resend.com\n    token_url: https://oauth2.googleapis.com/token", Expect.BOTH_REFUSE));
    c.add(new Case(p, "topic on graph", "authority_url: https://login.microsoftonline.com", "authority_url: https://login.microsoftonline.com\n    topic: projects/lakeside-comms/topics/x-y", Expect.BOTH_REFUSE));
    c.add(new Case(p, "gmail topic not a topic name", "topic: projects/lakeside-comms/topics/gmail-replies", "topic: gmail-replies", Expect.BOTH_REFUSE));
    c.add(new Case(p, "gmail without token_url", "    token_url: https://oauth2.googleapis.com/token\n", "", Expect.BOTH_ACCEPT));
    c.add(new Case(p, "authority_url on gmail", "token_url: https://oauth2.googleapis.com/token", "authority_url: https://login.microsoftonline.com", Expect.BOTH_REFUSE));

    ContractKind po = ContractKind.POLICY;
    c.add(new Case(po, "opted-out allows a send", "allowed_states: [opted-in]", "allowed_states: [opted-in, opted-out]", Expect.BOTH_REFUSE));
    c.add(new Case(po, "unknown consent state", "allowed_states: [opted-in]", "allowed_states: [maybe]", Expect.BOTH_REFUSE));
    c.add(new Case(po, "consent for fax", "consent:\n", "consent:\n  fax:\n    allowed_states: [opted-in]\n", Expect.BOTH_REFUSE));
    c.add(new Case(po, "hour 25", "start: \"21:00\"", "start: \"25:00\"", Expect.BOTH_REFUSE));
    c.add(new Case(po, "time as a number", "start: \"21:00\"", "start: 2100", Expect.BOTH_REFUSE));
    c.add(new Case(po, "time with seconds", "start: \"21:00\"", "start: \"21:00:30\"", Expect.BOTH_ACCEPT));
    c.add(new Case(po, "unknown time zone", "default_zone: America/Chicago", "default_zone: Mars/Olympus", Expect.READER_ONLY));
    c.add(new Case(po, "11 segments", "max_segments: 3", "max_segments: 11", Expect.BOTH_REFUSE));
    c.add(new Case(po, "missing help_text", "  help_text:", "  help_txt:", Expect.BOTH_REFUSE));
    c.add(new Case(po, "blank reply", "opt_in_reply: \"Lakeside", "opt_in_reply: \"\"\n  x_reply: \"Lakeside", Expect.BOTH_REFUSE));
    c.add(new Case(po, "regex that does not compile", "regex: '\\bpassword\\s*[:=]'", "regex: '(unclosed'", Expect.READER_ONLY));
    c.add(new Case(po, "pattern without reason", "    reason: messages must never carry passwords\n", "", Expect.BOTH_REFUSE));
    c.add(new Case(po, "blank note is fine", "note: SMS needs express opt-in (TCPA); opted-out always blocks.", "note: \"\"", Expect.BOTH_ACCEPT));
    c.add(new Case(po, "forbidden_patterns misspelt", "forbidden_patterns:", "unused:", Expect.BOTH_REFUSE));

    ContractKind t = ContractKind.TEMPLATES;
    c.add(new Case(t, "sms with a subject", "    channel: sms\n    variables: [customer_name, order_number, balance_amount, payment_link]\n",
        "    channel: sms\n    subject: Hi\n    variables: [customer_name, order_number, balance_amount, payment_link]\n", Expect.BOTH_REFUSE));
    c.add(new Case(t, "sms with html", "    channel: sms\n    variables: [customer_name, order_number, pickup_window]\n",
        "    channel: sms\n    html: <p>hi</p>\n    variables: [customer_name, order_number, pickup_window]\n", Expect.BOTH_REFUSE));
    c.add(new Case(t, "email without subject", "    subject: \"Order {{order_number}} is ready for pickup\"\n", "", Expect.BOTH_REFUSE));
    c.add(new Case(t, "channel fax", "channel: sms", "channel: fax", Expect.BOTH_REFUSE));
    c.add(new Case(t, "variables not a list", "variables: [customer_name, order_number, pickup_window]", "variables: customer_name", Expect.BOTH_REFUSE));
    c.add(new Case(t, "no variables", "    variables: [customer_name, order_number, pickup_window]\n", "", Expect.BOTH_ACCEPT));
    c.add(new Case(t, "empty body", "body: \"Hi {{customer_name}}, order {{order_number}} is ready for pickup at Lakeside Print, {{pickup_window}}.\"", "body: \"\"", Expect.BOTH_REFUSE));
    c.add(new Case(t, "duplicate id", "id: order_ready.email", "id: order_ready.sms", Expect.READER_ONLY));

    ContractKind d = ContractKind.DELIVERY;
    c.add(new Case(d, "unknown mode", "mode: simulation", "mode: production", Expect.BOTH_REFUSE));
    c.add(new Case(d, "live mode", "mode: simulation", "mode: live", Expect.BOTH_ACCEPT));
    c.add(new Case(d, "CamelCase message type", "name: order_ready", "name: OrderReady", Expect.BOTH_REFUSE));
    c.add(new Case(d, "route on the mailbox channel", "{ channel: sms, provider: twilio, template: order_ready.sms }",
        "{ channel: mailbox, provider: twilio, template: order_ready.sms }", Expect.BOTH_REFUSE));
    c.add(new Case(d, "six attempts", "max_attempts: 5", "max_attempts: 6", Expect.BOTH_REFUSE));
    c.add(new Case(d, "retry misspelt", "base_delay_ms: 500", "base_delay: 500", Expect.BOTH_REFUSE));
    c.add(new Case(d, "no retry", "retry:\n  max_attempts: 5\n  base_delay_ms: 500\n  max_delay_ms: 30000\n", "", Expect.BOTH_ACCEPT));
    c.add(new Case(d, "route without template", "{ channel: sms, provider: twilio, template: proof_ready.sms }", "{ channel: sms, provider: twilio }", Expect.BOTH_REFUSE));
    c.add(new Case(d, "no routes", "    routes:\n      - { channel: sms, provider: twilio, template: shipping_update.sms }\n      - { channel: email, provider: resend, template: shipping_update.email }\n",
        "    routes: []\n", Expect.BOTH_ACCEPT));
    c.add(new Case(d, "duplicate message type", "name: order_ready", "name: payment_needed", Expect.READER_ONLY));
    c.add(new Case(d, "a month's idempotency window", "window_hours: 24", "window_hours: 720", Expect.BOTH_ACCEPT));
    c.add(new Case(d, "an idempotency window under a day", "window_hours: 24", "window_hours: 12", Expect.BOTH_REFUSE));
    c.add(new Case(d, "an idempotency window over a year", "window_hours: 24", "window_hours: 9000", Expect.BOTH_REFUSE));
    c.add(new Case(d, "idempotency window as text", "window_hours: 24", "window_hours: a day", Expect.BOTH_REFUSE));
    c.add(new Case(d, "idempotency misspelt", "window_hours: 24", "window_hour: 24", Expect.BOTH_REFUSE));
    c.add(new Case(d, "no idempotency", "idempotency:\n  window_hours: 24\n", "", Expect.BOTH_ACCEPT));

    ContractKind ca = ContractKind.CAPABILITIES;
    c.add(new Case(ca, "mutating without approval", "  - name: communications.policy.status\n    safety: read-only",
        "  - name: communications.policy.status\n    safety: mutating", Expect.BOTH_REFUSE));
    c.add(new Case(ca, "mutating with manual approval", "  - name: communications.policy.status\n    safety: read-only\n    approval: none",
        "  - name: communications.policy.status\n    safety: mutating\n    approval: manual", Expect.BOTH_ACCEPT));
    c.add(new Case(ca, "name without prefix", "name: communications.policy.status", "name: policy.status", Expect.BOTH_REFUSE));
    c.add(new Case(ca, "unknown safety", "safety: read-only", "safety: careful", Expect.BOTH_REFUSE));
    c.add(new Case(ca, "missing description", "    description: Show the consent and compliance policy.\n", "", Expect.BOTH_REFUSE));

    ContractKind in = ContractKind.INFRA;
    c.add(new Case(in, "port zero", "{ name: https, port: 443 }", "{ name: https, port: 0 }", Expect.BOTH_REFUSE));
    c.add(new Case(in, "target without services", "    services:\n      - { name: https, port: 443 }\n", "", Expect.BOTH_REFUSE));
    c.add(new Case(in, "vm_id as text", "vm_id: 207", "vm_id: seven", Expect.BOTH_REFUSE));

    c.add(new Case(in, "mail listener with an unknown protocol", "protocol: imaps", "protocol: pop3", Expect.BOTH_REFUSE));
    c.add(new Case(in, "DKIM selector with a space", "dkim_selector: comms2026", "dkim_selector: comms 2026", Expect.BOTH_REFUSE));
    c.add(new Case(in, "DMARC reports without @", "dmarc_reports: dmarc-reports@lakesideprint.com", "dmarc_reports: dmarc-reports", Expect.BOTH_REFUSE));
    c.add(new Case(in, "mail domain with a space", "domain: lakesideprint.com", "domain: lakeside print.com", Expect.BOTH_REFUSE));
    c.add(new Case(in, "unknown MTA-STS mode", "mta_sts_mode: testing", "mta_sts_mode: strict", Expect.BOTH_REFUSE));
    c.add(new Case(in, "no MTA-STS mode", "      mta_sts_mode: testing\n", "", Expect.BOTH_ACCEPT));

    ContractKind pr = ContractKind.INFRA_PROFILES;
    c.add(new Case(pr, "zero CPUs", "cpu: 4", "cpu: 0", Expect.BOTH_REFUSE));
    c.add(new Case(pr, "memory as text", "memory_mb: 8192", "memory_mb: lots", Expect.BOTH_REFUSE));
    c.add(new Case(pr, "firewall port zero", "- { port: 25 }", "- { port: 0 }", Expect.BOTH_REFUSE));
    c.add(new Case(pr, "unknown firewall default", "default_inbound: deny", "default_inbound: drop", Expect.BOTH_REFUSE));
    c.add(new Case(pr, "service unit without a suffix", "unit: chrony.service", "unit: chrony", Expect.BOTH_REFUSE));
    c.add(new Case(pr, "user name in capitals", "name: ops,", "name: Ops,", Expect.BOTH_REFUSE));
    c.add(new Case(pr, "misspelt key", "os_image:", "os_imag:", Expect.BOTH_REFUSE));
    c.add(new Case(pr, "udp firewall rule", "- { port: 25 }", "- { port: 25, protocol: udp }", Expect.BOTH_ACCEPT));

    ContractKind op = ContractKind.OPERATORS;
    c.add(new Case(op, "unknown role", "role: operator", "role: owner", Expect.BOTH_REFUSE));
    c.add(new Case(op, "negative cap", "per_minute_cap: 30", "per_minute_cap: -1", Expect.BOTH_REFUSE));
    c.add(new Case(op, "cap beyond the maximum", "daily_cap: 1000", "daily_cap: 2000000", Expect.BOTH_REFUSE));
    c.add(new Case(op, "cap as text", "daily_cap: 1000", "daily_cap: lots", Expect.BOTH_REFUSE));
    c.add(new Case(op, "zero cap stops sending", "role: operator", "role: operator\n    daily_cap: 0", Expect.BOTH_ACCEPT));
    c.add(new Case(op, "agent as default operator", "default_operator: dana@lakesideprint.com", "default_operator: agent:claude", Expect.BOTH_REFUSE));
    c.add(new Case(op, "operator without @", "- email: sam@lakesideprint.com", "- email: sam", Expect.BOTH_REFUSE));
    c.add(new Case(op, "missing display name", "    display_name: Sam Rivera\n", "", Expect.BOTH_REFUSE));
    c.add(new Case(op, "domain with @", "domains: [lakesideprint.com]", "domains: [\"@lakesideprint.com\"]", Expect.BOTH_REFUSE));
    c.add(new Case(op, "no email_from", "email_from:\n  providers: [resend]\n  domains: [lakesideprint.com]\n", "", Expect.BOTH_ACCEPT));
    c.add(new Case(op, "empty roster", "operators:\n  - email: dana@lakesideprint.com\n    display_name: Dana Lake\n    role: admin\n"
        + "  - email: sam@lakesideprint.com\n    display_name: Sam Rivera\n    role: operator\n"
        + "    # Sam is on Google Workspace: his stage emails go out from his Gmail, and replies.sync reads it.\n    mailbox: { provider: gmail }\n",
        "operators: []\n", Expect.BOTH_REFUSE));
    c.add(new Case(op, "misspelt key", "role: operator", "role: operator\n    actve: false", Expect.BOTH_REFUSE));
    c.add(new Case(op, "mailbox without provider", "mailbox: { provider: gmail }", "mailbox: { refresh_token_env: COMMS_GMAIL_SAM }", Expect.BOTH_REFUSE));
    c.add(new Case(op, "refresh token value instead of a name", "mailbox: { provider: gmail }", "mailbox: { provider: gmail, refresh_token_env: 1//abc }", Expect.BOTH_REFUSE));
    c.add(new Case(op, "default operator not on the roster", "default_operator: dana@lakesideprint.com", "default_operator: lee@lakesideprint.com", Expect.READER_ONLY));
    c.add(new Case(op, "inactive default operator", "role: admin", "role: admin\n    active: false", Expect.READER_ONLY));
    c.add(new Case(op, "operator listed twice", "- email: sam@lakesideprint.com", "- email: dana@lakesideprint.com", Expect.READER_ONLY));

    ContractKind sq = ContractKind.SEQUENCES;
    c.add(new Case(sq, "window start hour 24", "start: \"08:00\"", "start: \"24:00\"", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "window time as a number", "start: \"08:00\"", "start: 800", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "window ends before it starts", "end: \"20:00\"", "end: \"07:00\"", Expect.READER_ONLY));
    c.add(new Case(sq, "weekdays only", "days: [mon, tue, wed, thu, fri, sat, sun]", "days: [mon, tue, wed, thu, fri]", Expect.BOTH_ACCEPT));
    c.add(new Case(sq, "no days key", "  days: [mon, tue, wed, thu, fri, sat, sun]\n", "", Expect.BOTH_ACCEPT));
    c.add(new Case(sq, "unknown day", "days: [mon, tue, wed, thu, fri, sat, sun]", "days: [mon, funday]", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "no days", "days: [mon, tue, wed, thu, fri, sat, sun]", "days: []", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "a day twice", "days: [mon, tue, wed, thu, fri, sat, sun]", "days: [mon, mon]", Expect.READER_ONLY));
    c.add(new Case(sq, "subdivision", "  country: US\n", "  country: US\n  subdivision: NY\n", Expect.BOTH_ACCEPT));
    c.add(new Case(sq, "country with a space", "  country: US\n", "  country: U S\n", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "six stages allowed", "max_stages: 5", "max_stages: 6", Expect.BOTH_ACCEPT));
    c.add(new Case(sq, "no stages", "max_stages: 5", "max_stages: 0", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "limit as text", "max_recipients_per_call: 2000", "max_recipients_per_call: lots", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "name pattern that does not compile", "pattern: \"\\\\(Copy\\\\)\"", "pattern: \"(Copy\"", Expect.READER_ONLY));
    c.add(new Case(sq, "forbidden name without reason", "    reason: a name with (Copy)", "    note: a name with (Copy)", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "unknown approval kind", "kind: confirm }", "kind: email }", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "a gap between tiers", "{ min: 51, max: 500, kind: confirm }", "{ min: 60, max: 500, kind: confirm }", Expect.READER_ONLY));
    c.add(new Case(sq, "overlapping tiers", "{ min: 51, max: 500, kind: confirm }", "{ min: 40, max: 500, kind: confirm }", Expect.READER_ONLY));
    c.add(new Case(sq, "last tier capped", "{ min: 1001, kind: token }", "{ min: 1001, max: 5000, kind: token }", Expect.READER_ONLY));
    c.add(new Case(sq, "reviewers on a confirm tier", "kind: confirm }", "kind: confirm, reviewers: 2 }", Expect.READER_ONLY));
    c.add(new Case(sq, "multipov without reviewers", "kind: multipov, reviewers: 2 }", "kind: multipov }", Expect.BOTH_ACCEPT));
    c.add(new Case(sq, "tier without min", "{ min: 1, max: 50, kind: none }", "{ max: 50, kind: none }", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "validity of 0 hours", "validity_hours: 24", "validity_hours: 0", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "watch misspelt", "max_age_minutes: 10", "max_age_mins: 10", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "opened allowed", "allowed: [always, no_reply, no_engagement]", "allowed: [always, opened]", Expect.BOTH_REFUSE));
    c.add(new Case(sq, "refused trigger also allowed", "- trigger: opened", "- trigger: no_reply", Expect.READER_ONLY));
    c.add(new Case(sq, "no refused triggers", "  refused:\n", "  unused_refused:\n", Expect.BOTH_REFUSE));
    return c;
  }

  @TestFactory
  Stream<DynamicTest> schemaEvaluatorReferenceValidatorAndReaderAgree() {
    return cases().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.kind().file() + ": " + c.name(),
                    () -> {
                      String text = read(SAMPLE.resolve(c.kind().file()));
                      if (c.from() != null) {
                        assertTrue(text.contains(c.from()), () -> c.kind().file() + " does not contain: " + c.from());
                        text = text.replace(c.from(), c.to());
                      }
                      YamlValue doc = YamlValue.parse(text, c.kind().file());
                      ContractSchema ours = ContractSchema.read(schemaFile(c.kind()), c.kind().schemaFile());
                      List<ContractException> violations = ours.violations(doc);
                      List<Error> reference = reference(c.kind()).validate(json(doc), InputFormat.JSON);
                      assertEquals(
                          reference.isEmpty(),
                          violations.isEmpty(),
                          () -> "evaluator and networknt disagree; ours: " + violations + " networknt: " + reference);
                      assertEquals(c.expect().schema, violations.isEmpty(), () -> "schema: " + violations);
                      String readerSays;
                      try {
                        READERS.get(c.kind()).apply(doc);
                        readerSays = null;
                      } catch (ContractException e) {
                        readerSays = e.getMessage();
                      }
                      String r = readerSays;
                      assertEquals(c.expect().reader, r == null, () -> "reader: " + r);
                      for (ContractException v : violations) {
                        assertTrue(v.getMessage().startsWith(c.kind().file() + ":"), v.getMessage());
                        assertTrue(v.source().line() > 0 && v.source().column() > 0, v.getMessage());
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> eachSchemaIsAValidDraft202012Schema() {
    com.networknt.schema.Schema meta = REFERENCE.getSchema(SchemaLocation.of(ContractSchema.DIALECT));
    return java.util.Arrays.stream(ContractKind.values())
        .map(
            k ->
                DynamicTest.dynamicTest(
                    k.schemaFile(),
                    () -> {
                      List<Error> errors = meta.validate(read(schemaFile(k)), InputFormat.JSON);
                      assertTrue(errors.isEmpty(), () -> k.schemaFile() + " is not a valid 2020-12 schema: " + errors);
                      // and our evaluator compiles it (refusing any keyword it does not implement)
                      ContractSchema.read(schemaFile(k), k.schemaFile());
                      assertEquals(k.schemaFile(), ContractSchema.bundled(k.schemaFile()).name().replace("built-in schemas/", ""));
                    }));
  }

  @Test
  void theMetaSchemaCheckBites() {
    com.networknt.schema.Schema meta = REFERENCE.getSchema(SchemaLocation.of(ContractSchema.DIALECT));
    String bad = "{\"$schema\": \"" + ContractSchema.DIALECT + "\", \"type\": \"text\", \"required\": \"name\"}";
    String errors = meta.validate(bad, InputFormat.JSON).toString();
    assertTrue(errors.contains("/type") && errors.contains("/required"), errors);
  }

  @Test
  void everyMappingInEverySchemaIsClosed() {
    for (ContractKind k : ContractKind.values()) {
      List<String> open = new ArrayList<>();
      openMappings(Json.parse(read(schemaFile(k))), "#", open);
      assertTrue(open.isEmpty(), () -> k.schemaFile() + ": these object schemas do not say additionalProperties: " + open);
    }
  }

  @Test
  void everySampleContractNamesItsSchemaOnTheFirstLine() {
    for (ContractKind k : ContractKind.values()) {
      String first = read(SAMPLE.resolve(k.file())).lines().findFirst().orElse("");
      assertEquals("# yaml-language-server: $schema=schemas/" + k.schemaFile(), first, k.file());
    }
  }

  @Test
  void theBundledCopiesAreTheBindingsSchemas() throws IOException {
    for (ContractKind k : ContractKind.values()) {
      try (var in = ContractSchema.class.getResourceAsStream(ContractSchema.RESOURCE_DIR + k.schemaFile())) {
        assertEquals(read(schemaFile(k)), new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), k.schemaFile());
      }
    }
  }

  static void openMappings(Object schema, String at, List<String> open) {
    if (schema instanceof Map<?, ?> m) {
      if ("object".equals(m.get("type")) && !m.containsKey("additionalProperties")) {
        open.add(at);
      }
      m.forEach((k, v) -> openMappings(v, at + "/" + k, open));
    } else if (schema instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        openMappings(l.get(i), at + "/" + i, open);
      }
    }
  }

  static Path schemaFile(ContractKind k) {
    return SAMPLE.resolve(Bindings.SCHEMAS_DIR).resolve(k.schemaFile());
  }

  static final Map<ContractKind, com.networknt.schema.Schema> REFERENCE_SCHEMAS = new java.util.concurrent.ConcurrentHashMap<>();

  static com.networknt.schema.Schema reference(ContractKind k) {
    return REFERENCE_SCHEMAS.computeIfAbsent(k, x -> REFERENCE.getSchema(read(schemaFile(x)), InputFormat.JSON));
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document as JSON, typed exactly as the evaluator types it (YAML 1.2 JSON schema tags). */
  static String json(YamlValue doc) {
    return Json.write(tree(doc.node()));
  }

  static Object tree(Node n) {
    if (n instanceof MappingNode m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        out.put(((ScalarNode) t.getKeyNode()).getValue(), tree(t.getValueNode()));
      }
      return out;
    }
    if (n instanceof SequenceNode s) {
      return s.getValue().stream().map(SchemaConsistencyTest::tree).toList();
    }
    ScalarNode s = (ScalarNode) n;
    Tag tag = s.getTag();
    if (tag.equals(Tag.NULL)) {
      return null;
    }
    if (tag.equals(Tag.BOOL)) {
      return Boolean.parseBoolean(s.getValue());
    }
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      return new BigDecimal(s.getValue());
    }
    if (!tag.equals(Tag.STR)) {
      fail("unexpected tag " + tag);
    }
    return s.getValue();
  }
}
