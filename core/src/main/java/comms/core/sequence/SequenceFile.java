package comms.core.sequence;

import comms.core.contract.ContractException;
import comms.core.contract.ContractSchema;
import comms.core.contract.TemplatesCatalog;
import comms.core.contract.YamlMap;
import comms.core.contract.YamlValue;
import comms.core.policy.HolidayCalendar;
import comms.core.policy.RuleRefusal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a sequence file (YAML, {@code bindings/schemas/sequence.schema.json}) into a draft: the schema
 * first, then the rules a schema cannot say (a real zone, stages within the limit, known mediums and
 * triggers, templates of the right channel). Every refusal names the file, line, column and field.
 */
public final class SequenceFile {
  public static final String SCHEMA = "sequence.schema.json";

  /** The triggers a stage may name. */
  public static final List<String> TRIGGERS = List.of("always", "no_reply", "no_engagement");

  /** The mediums a stage may go out by (imessage arrives with its own issue). */
  public static final List<String> MEDIUMS = List.of("email", "sms");

  static final String OPENED =
      "'opened' is not a trigger: opens are not a trustworthy signal (Apple Mail Privacy Protection and Google Image Proxy fetch"
          + " tracking pixels for every message, read or not); use always, no_reply or no_engagement, which counts only replies,"
          + " clicks and human-shaped opens";

  private static final Pattern DELAY = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?");

  private SequenceFile() {}

  /** Reads {@code file}; the schema is the bindings folder's copy when {@code schemasDir} has one, else the bundled one. */
  public static SequenceService.Draft load(Path file, Path schemasDir, TemplatesCatalog templates, SequenceRules rules) {
    return checked(YamlValue.parse(file, file.toString()), schemasDir, templates, rules);
  }

  /**
   * Reads a sequence document given as text (YAML, or JSON, which is YAML too) under the same schema and
   * rules as a file: what the HTTP API's POST /api/sequences receives. {@code shown} names it in refusals.
   */
  public static SequenceService.Draft parse(String text, String shown, Path schemasDir, TemplatesCatalog templates, SequenceRules rules) {
    return checked(YamlValue.parse(text, shown), schemasDir, templates, rules);
  }

  private static SequenceService.Draft checked(YamlValue root, Path schemasDir, TemplatesCatalog templates, SequenceRules rules) {
    Path local = schemasDir == null ? null : schemasDir.resolve(SCHEMA);
    ContractSchema schema = local != null && Files.isRegularFile(local) ? ContractSchema.read(local, local.toString()) : ContractSchema.bundled(SCHEMA);
    schema.check(root);
    return read(root, templates, rules);
  }

  /**
   * Reads {@code file} against the schema bundled with comms and the contract's default rules, with at most
   * {@code maxStages} stages (the sequences contract's limit).
   */
  public static SequenceService.Draft load(Path file, TemplatesCatalog templates, int maxStages) {
    SequenceRules d = SequenceRules.DEFAULTS;
    return load(
        file, null, templates,
        new SequenceRules(maxStages, d.maxRecipientsPerCall(), d.windowStart(), d.windowEnd(), d.forbiddenNames(), d.tiers(), d.approvalValidity()));
  }

  static SequenceService.Draft read(YamlValue root, TemplatesCatalog templates, SequenceRules rules) {
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
      stages.add(stage(sv, stages.size() + 1, templates));
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

  private static SequencePlan.StagePlan stage(YamlValue sv, int n, TemplatesCatalog templates) {
    YamlMap s = sv.asMap();
    YamlValue mediumValue = s.get("medium");
    String medium = mediumValue.asString();
    if (medium.equals("imessage")) {
      throw new ContractException(mediumValue.source(), "imessage stages are not available yet: iMessage arrives with its own issue; use email or sms");
    }
    if (!MEDIUMS.contains(medium)) {
      throw new ContractException(mediumValue.source(), "medium '" + medium + "' is not one comms sends by; use " + String.join(" or ", MEDIUMS));
    }
    Optional<YamlValue> delayValue = s.opt("delay");
    Duration delay = delayValue.map(SequenceFile::delay).orElse(Duration.ZERO);
    if (n > 1 && delay.isZero()) {
      // Two stages at once would be a burst, not a follow-up.
      throw new ContractException(
          delayValue.map(YamlValue::source).orElse(s.source()),
          (delayValue.isPresent() ? "stage " + n + " has a delay of 0" : "stage " + n + " needs a delay")
              + "; only stage 1 may go out at once (at launch): give it a delay after stage " + (n - 1) + ", such as 3d or 4h");
    }
    // TODO: replace with comms.core.policy.StageTrigger once merged.
    String trigger = "always";
    if (s.has("trigger")) {
      YamlValue t = s.get("trigger");
      trigger = t.asString();
      if (trigger.equals("opened")) {
        throw new ContractException(t.source(), OPENED);
      }
      if (!TRIGGERS.contains(trigger)) {
        throw new ContractException(t.source(), "trigger '" + trigger + "' is not known; use " + String.join(", ", TRIGGERS));
      }
    }
    if (s.has("snippet")) {
      // TODO: resolve ID@VERSION against the snippet library once snippets exist.
      YamlValue snippet = s.get("snippet");
      throw new ContractException(
          snippet.source(),
          s.has("template")
              ? "a stage names a template or a snippet, not both; keep the template"
              : "snippets are not available yet; name a template from " + TemplatesCatalog.FILE + " instead (template: ID; comms templates.list shows them)");
    }
    YamlValue tv = s.get("template");
    String id = tv.asString();
    TemplatesCatalog.Template template =
        templates
            .template(id)
            .orElseThrow(() -> new ContractException(tv.source(), "template '" + id + "' is not in " + TemplatesCatalog.FILE + "; comms templates.list shows them"));
    if (!template.channel().equals(medium)) {
      throw new ContractException(tv.source(), "template '" + id + "' is a " + template.channel() + " template but this stage goes out by " + medium);
    }
    s.end();
    return new SequencePlan.StagePlan(medium, delay, trigger, id, template.messageType());
  }

  /**
   * A delay: 0, or days, hours and minutes such as 3d, 4h, 30m, 1d12h; at most 90 days.
   * TODO: replace with comms.core.policy.StageDelay once merged.
   */
  static Duration delay(YamlValue v) {
    String text = v.asString().strip();
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DELAY.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      throw new ContractException(v.source(), "delay '" + text + "' is not a duration; write 0, 30m, 4h, 3d or 1d12h");
    }
    Duration d = Duration.ZERO;
    try {
      if (m.group(1) != null) {
        d = d.plusDays(Long.parseLong(m.group(1)));
      }
      if (m.group(2) != null) {
        d = d.plusHours(Long.parseLong(m.group(2)));
      }
      if (m.group(3) != null) {
        d = d.plusMinutes(Long.parseLong(m.group(3)));
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ContractException(v.source(), "delay '" + text + "' is too long; at most 90d");
    }
    if (d.compareTo(Duration.ofDays(90)) > 0) {
      throw new ContractException(v.source(), "delay '" + text + "' is longer than 90 days; a sequence's stages should follow within weeks");
    }
    return d;
  }
}
