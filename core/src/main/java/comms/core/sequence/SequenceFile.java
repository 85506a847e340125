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
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
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
    String shown = file.toString();
    YamlValue root = YamlValue.parse(file, shown);
    Path local = schemasDir == null ? null : schemasDir.resolve(SCHEMA);
    ContractSchema schema = local != null && Files.isRegularFile(local) ? ContractSchema.read(local, local.toString()) : ContractSchema.bundled(SCHEMA);
    schema.check(root);
    return read(root, templates, rules);
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
    YamlValue zoneValue = m.get("zone");
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneValue.asString());
    } catch (DateTimeException e) {
      throw new ContractException(zoneValue.source(), "'" + zoneValue.asString() + "' is not an IANA time zone; write one such as America/New_York or Europe/Berlin");
    }
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
      country = h.opt("country").map(YamlValue::asString).orElse(null);
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
        throw new ContractException(m.get("holidays").source(), "a holiday subdivision needs its country (country: US, subdivision: NY)");
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
      stages.add(stage(sv, templates));
    }
    m.end();
    return new SequenceService.Draft(name, owner, new SequencePlan(zone, start, end, country, subdivision, extra, stages));
  }

  private static SequencePlan.StagePlan stage(YamlValue sv, TemplatesCatalog templates) {
    YamlMap s = sv.asMap();
    YamlValue mediumValue = s.get("medium");
    String medium = mediumValue.asString();
    if (medium.equals("imessage")) {
      throw new ContractException(mediumValue.source(), "imessage stages are not available yet (they arrive with the iMessage work); use email or sms");
    }
    if (!MEDIUMS.contains(medium)) {
      throw new ContractException(mediumValue.source(), "medium '" + medium + "' is not one comms sends by; use " + String.join(" or ", MEDIUMS));
    }
    Duration delay = s.opt("delay").map(SequenceFile::delay).orElse(Duration.ZERO);
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

  /** A delay: 0, or days, hours and minutes such as 3d, 4h, 30m, 1d12h; at most 90 days. */
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
