package comms.core.sequence;

import comms.core.Recipients;
import comms.core.contract.ContractException;
import comms.core.contract.ContractSchema;
import comms.core.contract.TemplatesCatalog;
import comms.core.contract.YamlMap;
import comms.core.contract.YamlValue;
import comms.core.policy.HolidayCalendar;
import comms.core.policy.RuleRefusal;
import comms.core.policy.StageTrigger;
import comms.core.snippet.SnippetService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads a sequence file (YAML, {@code bindings/schemas/sequence.schema.json}) into a draft: the schema
 * first, then the rules a schema cannot say (a real zone, stages within the limit, known mediums and
 * triggers, templates of the right channel). Every refusal names the file, line, column and field.
 */
public final class SequenceFile {
  public static final String SCHEMA = "sequence.schema.json";

  /** The triggers a stage may name (those comms evaluates; the contract may allow fewer). */
  public static final List<String> TRIGGERS = Arrays.stream(StageTrigger.Kind.values()).map(StageTrigger.Kind::wire).toList();

  /** The mediums a stage may go out by (imessage only in sequences of an operator on the iMessage allowlist). */
  public static final List<String> MEDIUMS = List.of("email", "sms", "imessage");

  private SequenceFile() {}

  /** Reads {@code file}; the schema is the bindings folder's copy when {@code schemasDir} has one, else the bundled one. */
  public static SequenceService.Draft load(Path file, Path schemasDir, TemplatesCatalog templates, SequenceRules rules) {
    return load(file, schemasDir, templates, rules, null, null);
  }

  /**
   * As {@link #load(Path, Path, TemplatesCatalog, SequenceRules)}, with stages that may pin a snippet
   * version from {@code snippets} ({@code snippet: ID@VERSION}): each pin is checked for the file's owner,
   * else {@code actingOwner}, and refused at its line when that owner may not use it (private to another
   * operator, shared and not co-signed, another channel). Without {@code snippets}, a snippet stage is refused.
   */
  public static SequenceService.Draft load(
      Path file, Path schemasDir, TemplatesCatalog templates, SequenceRules rules, SnippetService snippets, String actingOwner) {
    String shown = file.toString();
    if (!java.nio.file.Files.exists(file)) {
      // Not a contract: --bindings has nothing to do with it.
      throw new comms.core.contract.ContractException(shown, "file not found; check the path given to --file (examples/sequences/welcome.sequence.yaml is a sample)");
    }
    return check(YamlValue.parse(file, shown), schemasDir, templates, rules, snippets, actingOwner);
  }

  /**
   * Reads a sequence document given as text (YAML, or JSON, which is YAML too: an API or MCP request's
   * body) under the same schema and rules as a file, snippet pins included; refusals name {@code shown},
   * line and field.
   */
  public static SequenceService.Draft parse(
      String text, String shown, Path schemasDir, TemplatesCatalog templates, SequenceRules rules, SnippetService snippets, String actingOwner) {
    return check(YamlValue.parse(text, shown), schemasDir, templates, rules, snippets, actingOwner);
  }

  private static SequenceService.Draft check(
      YamlValue root, Path schemasDir, TemplatesCatalog templates, SequenceRules rules, SnippetService snippets, String actingOwner) {
    schema(schemasDir).check(root);
    return read(root, templates, rules, snippets, actingOwner);
  }

  /** The text of the sequence document's JSON Schema (the bindings folder's copy, else the bundled one), for callers that publish it. */
  public static String schemaText(Path schemasDir) {
    Path local = schemasDir == null ? null : schemasDir.resolve(SCHEMA);
    try {
      if (local != null && Files.isRegularFile(local)) {
        return Files.readString(local);
      }
      try (java.io.InputStream in = ContractSchema.class.getResourceAsStream(ContractSchema.RESOURCE_DIR.concat(SCHEMA))) {
        if (in == null) {
          throw new comms.core.CommsException(comms.core.ExitCode.INTERNAL, "the built-in schema " + SCHEMA + " is missing from this build of comms; rebuild it (mvn package)");
        }
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException e) {
      throw new comms.core.CommsException(comms.core.ExitCode.CONTRACT, "cannot read " + (local == null ? SCHEMA : local) + ": " + e.getMessage(), e);
    }
  }

  /** The sequence document's JSON Schema: the bindings folder's copy when {@code schemasDir} has one, else the bundled one. */
  public static ContractSchema schema(Path schemasDir) {
    Path local = schemasDir == null ? null : schemasDir.resolve(SCHEMA);
    return local != null && Files.isRegularFile(local) ? ContractSchema.read(local, local.toString()) : ContractSchema.bundled(SCHEMA);
  }

  /**
   * Reads {@code file} against the schema bundled with comms and the contract's default rules, with at most
   * {@code maxStages} stages (the sequences contract's limit).
   */
  public static SequenceService.Draft load(Path file, TemplatesCatalog templates, int maxStages) {
    return load(file, null, templates, SequenceRules.DEFAULTS.withMaxStages(maxStages));
  }

  static SequenceService.Draft read(YamlValue root, TemplatesCatalog templates, SequenceRules rules) {
    return read(root, templates, rules, null, null);
  }

  static SequenceService.Draft read(YamlValue root, TemplatesCatalog templates, SequenceRules rules, SnippetService snippets, String actingOwner) {
    YamlMap m = root.asMap();
    m.opt("version");
    String name = m.string("name").strip();
    for (SequenceRules.ForbiddenName f : rules.forbiddenNames()) {
      if (f.pattern().matcher(name).find()) {
        throw new ContractException(m.get("name").source(), "sequence name '" + name + "' is refused: " + f.reason());
      }
    }
    String owner = m.opt("owner").map(YamlValue::asString).orElse(null);
    ZoneId zone = zone(m.get("zone"));
    LocalTime start = rules.windowStart();
    LocalTime end = rules.windowEnd();
    if (m.has("window")) {
      YamlMap w = m.map("window");
      start = LocalTime.parse(w.string("start"));
      end = LocalTime.parse(w.string("end"));
      w.end();
      if (!start.isBefore(end)) {
        throw new ContractException(m.get("window").source(), "the window must open before it closes (" + start + " is not before " + end + ")");
      }
      if (start.isBefore(rules.windowStart()) || end.isAfter(rules.windowEnd())) {
        throw new ContractException(
            m.get("window").source(),
            "the window " + start + "-" + end + " is wider than the sequences contract's " + rules.windowStart() + "-" + rules.windowEnd()
                + "; a sequence may narrow the window, never widen it");
      }
    }
    String country = null;
    String subdivision = null;
    List<LocalDate> extra = new ArrayList<>();
    if (m.has("holidays")) {
      YamlMap h = m.map("holidays");
      country = h.opt("country").map(SequenceFile::country).orElse(null);
      subdivision = h.opt("subdivision").map(YamlValue::asString).orElse(null);
      for (YamlValue d : h.opt("extra_dates").map(v -> v.asList(x -> x)).orElse(List.of())) {
        try {
          extra.add(LocalDate.parse(d.asString()));
        } catch (DateTimeParseException e) {
          throw new ContractException(d.source(), "'" + d.asString() + "' is not a date; write YYYY-MM-DD");
        }
      }
      h.end();
      if (subdivision != null && country == null) {
        throw new ContractException(h.get("subdivision").source(), "a holiday subdivision needs its country (country: US, subdivision: NY)");
      }
      if (country != null) {
        try {
          HolidayCalendar.of(country, subdivision, extra);
        } catch (RuleRefusal r) {
          throw new ContractException(m.get("holidays").source(), r.getMessage());
        }
      }
    }
    List<YamlValue> stageValues = m.get("stages").asList(x -> x);
    if (stageValues.size() > rules.maxStages()) {
      throw new ContractException(
          m.get("stages").source(), "a sequence has at most " + rules.maxStages() + " stages; this one has " + stageValues.size() + "; split it in two");
    }
    List<SequencePlan.StagePlan> stages = new ArrayList<>();
    for (YamlValue sv : stageValues) {
      stages.add(stage(sv, stages.size() + 1, templates, rules, snippets, owner != null ? Recipients.normalize(owner) : actingOwner));
    }
    m.end();
    return new SequenceService.Draft(name, owner, new SequencePlan(zone, start, end, country, subdivision, extra, stages));
  }

  /** A region of the IANA time zone database; an offset such as +05:00 or UTC+3 is refused, since it keeps no daylight saving time. */
  static ZoneId zone(YamlValue v) {
    String text = v.asString().strip();
    if (!ZoneId.getAvailableZoneIds().contains(text)) {
      throw new ContractException(
          v.source(),
          "'" + text + "' is not an IANA time zone; write a region such as America/New_York or Europe/Berlin (an offset like +05:00 does not follow"
              + " daylight saving time, so the send window would drift)");
    }
    return ZoneId.of(text);
  }

  /** An ISO 3166-1 country code the holiday calendar is kept for. */
  static String country(YamlValue v) {
    String code = v.asString().strip();
    if (!Set.of(Locale.getISOCountries()).contains(code)) {
      throw new ContractException(v.source(), "'" + code + "' is not an ISO 3166 country code; write two capital letters such as US, CA or DE");
    }
    return code;
  }

  private static SequencePlan.StagePlan stage(
      YamlValue sv, int n, TemplatesCatalog templates, SequenceRules rules, SnippetService snippets, String owner) {
    YamlMap s = sv.asMap();
    YamlValue mediumValue = s.get("medium");
    String medium = mediumValue.asString();
    if (medium.equals("imessage") && (owner == null || !rules.imessage().allows(owner))) {
      throw new ContractException(mediumValue.source(), rules.imessage().refusal(owner == null ? "this sequence's owner" : owner));
    }
    // An iMessage is a text: it renders an SMS template (and its message type's SMS route and gates).
    String channel = medium.equals("imessage") ? "sms" : medium;
    if (!MEDIUMS.contains(medium)) {
      throw new ContractException(mediumValue.source(), "medium '" + medium + "' is not one comms sends by; use " + String.join(" or ", MEDIUMS));
    }
    Optional<YamlValue> delayValue = s.opt("delay");
    Duration delay = delayValue.map(v -> ruled(v, () -> rules.delays().parse(v.asString()))).orElse(Duration.ZERO);
    if (n > 1 && delay.isZero()) {
      // Two stages at once would be a burst, not a follow-up.
      throw new ContractException(
          delayValue.map(YamlValue::source).orElse(s.source()),
          (delayValue.isPresent() ? "stage " + n + " has a delay of 0" : "stage " + n + " needs a delay")
              + "; only stage 1 may go out at once (at launch): give it a delay after stage " + (n - 1) + ", such as 3d or 4h");
    }
    String trigger = s.opt("trigger").map(t -> ruled(t, () -> rules.triggers().parse(t.asString())).wire()).orElse(StageTrigger.Kind.ALWAYS.wire());
    if (s.has("snippet")) {
      SequencePlan.StagePlan p = snippetStage(s, medium, channel, delay, trigger, templates, snippets, owner);
      s.end();
      return p;
    }
    if (s.has("message_type")) {
      YamlValue mt = s.get("message_type");
      throw new ContractException(mt.source(), "message_type belongs to a snippet stage; a template stage goes out by its template's message type, remove it");
    }
    YamlValue tv = s.get("template");
    String id = tv.asString();
    TemplatesCatalog.Template template =
        templates
            .template(id)
            .orElseThrow(() -> new ContractException(tv.source(), "template '" + id + "' is not in " + TemplatesCatalog.FILE + "; comms templates.list shows them"));
    if (!template.channel().equals(channel)) {
      throw new ContractException(
          tv.source(), "template '" + id + "' is a " + template.channel() + " template but this stage goes out by " + medium
              + (medium.equals("imessage") ? " (an iMessage stage sends an SMS template)" : ""));
    }
    s.end();
    return new SequencePlan.StagePlan(medium, delay, trigger, id, template.messageType());
  }

  /**
   * A stage that pins a snippet version: it must be one {@code owner} may use (their own, or shared and
   * co-signed) on this medium, and it names the message type whose route carries it.
   */
  private static SequencePlan.StagePlan snippetStage(
      YamlMap s, String medium, String channel, Duration delay, String trigger, TemplatesCatalog templates, SnippetService snippets, String owner) {
    YamlValue snippet = s.get("snippet");
    if (s.has("template")) {
      throw new ContractException(snippet.source(), "a stage names a template or a snippet, not both; keep one of them");
    }
    if (snippets == null) {
      throw new ContractException(snippet.source(), "snippet stages need the snippet library, which this reader was not given; name a template instead");
    }
    String ref = snippet.asString().strip();
    snippets.pinRefusal(owner, ref, channel).ifPresent(why -> {
      throw new ContractException(snippet.source(), why);
    });
    if (!s.has("message_type")) {
      throw new ContractException(
          s.source(),
          "a snippet stage needs message_type: the delivery route it goes out by (the provider), such as "
              + routesFor(templates, channel) + " for " + medium);
    }
    YamlValue mt = s.get("message_type");
    String type = mt.asString().strip();
    boolean routed = templates.templates().stream().anyMatch(t -> t.messageType().equals(type) && t.channel().equals(channel));
    if (!routed) {
      throw new ContractException(
          mt.source(), "message type '" + type + "' has no " + channel + " template in " + TemplatesCatalog.FILE + "; use one that goes out by " + channel + ": "
              + routesFor(templates, channel));
    }
    return new SequencePlan.StagePlan(medium, delay, trigger, null, type, ref);
  }

  private static String routesFor(TemplatesCatalog templates, String medium) {
    List<String> types = templates.templates().stream().filter(t -> t.channel().equals(medium)).map(TemplatesCatalog.Template::messageType).distinct().toList();
    return types.isEmpty() ? "(none)" : String.join(", ", types);
  }

  /** A stage rule of core/policy applied to {@code v}: its refusal names the file, line and field. */
  private static <T> T ruled(YamlValue v, Supplier<T> rule) {
    try {
      return rule.get();
    } catch (RuleRefusal r) {
      throw new ContractException(v.source(), r.getMessage());
    }
  }
}
