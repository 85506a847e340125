package comms.core.sequence;

import comms.core.json.Json;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sequence as the store keeps it and the worker reads it: its zone, send window, holiday calendar
 * and stages, each stage already resolved to the message type whose route sends its template. Stored
 * as JSON in the sequence's row, so an edit is a new plan under a new state_version.
 */
public record SequencePlan(
    ZoneId zone, LocalTime windowStart, LocalTime windowEnd, String holidayCountry, String holidaySubdivision, List<LocalDate> extraHolidays,
    List<StagePlan> stages) {
  public SequencePlan {
    Objects.requireNonNull(zone);
    Objects.requireNonNull(windowStart);
    Objects.requireNonNull(windowEnd);
    extraHolidays = List.copyOf(extraHolidays == null ? List.of() : extraHolidays);
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a sequence needs at least one stage");
    }
    if (!windowStart.isBefore(windowEnd)) {
      throw new IllegalArgumentException("the send window must open before it closes: " + windowStart + "-" + windowEnd);
    }
  }

  /**
   * One stage: how it goes out, how long after the previous one, when it fires, and what it says: a
   * catalog template, or a pinned snippet version ({@code snippet} ID@VERSION, {@code template} null).
   * {@code messageType} names the delivery route (the provider) the stage goes out by.
   */
  public record StagePlan(String medium, Duration delay, String trigger, String template, String messageType, String snippet) {
    public StagePlan {
      Objects.requireNonNull(medium);
      Objects.requireNonNull(delay);
      Objects.requireNonNull(trigger);
      Objects.requireNonNull(messageType);
      if (!SequenceFile.MEDIUMS.contains(medium)) {
        throw new IllegalArgumentException("medium " + medium + " is not one of " + SequenceFile.MEDIUMS);
      }
      if (!SequenceFile.TRIGGERS.contains(trigger)) {
        throw new IllegalArgumentException("trigger " + trigger + " is not one of " + SequenceFile.TRIGGERS);
      }
      if (delay.isNegative()) {
        throw new IllegalArgumentException("a stage's delay cannot be negative: " + delay);
      }
      if ((template == null) == (snippet == null)) {
        throw new IllegalArgumentException("a stage says what it sends with a template or a snippet, exactly one of them");
      }
      if ((template != null && template.isBlank()) || (snippet != null && snippet.isBlank()) || messageType.isBlank()) {
        throw new IllegalArgumentException("a stage needs a template (or a snippet) and its message type");
      }
    }

    /** A stage that sends a catalog template. */
    public StagePlan(String medium, Duration delay, String trigger, String template, String messageType) {
      this(medium, delay, trigger, Objects.requireNonNull(template), messageType, null);
    }

    /** Whether the stage's text is a pinned snippet version rather than a catalog template. */
    public boolean fromSnippet() {
      return snippet != null;
    }
  }

  /** Stage {@code n}, 1-based. */
  public StagePlan stage(int n) {
    return stages.get(n - 1);
  }

  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("zone", zone.getId());
    m.put("window", Map.of("start", windowStart.toString(), "end", windowEnd.toString()));
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("country", holidayCountry);
    h.put("subdivision", holidaySubdivision);
    h.put("extra_dates", extraHolidays.stream().map(LocalDate::toString).toList());
    m.put("holidays", h);
    List<Object> s = new ArrayList<>();
    for (StagePlan p : stages) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("medium", p.medium());
      x.put("delay_seconds", p.delay().toSeconds());
      x.put("trigger", p.trigger());
      if (p.fromSnippet()) {
        x.put("snippet", p.snippet());
      } else {
        x.put("template", p.template());
      }
      x.put("message_type", p.messageType());
      s.add(x);
    }
    m.put("stages", s);
    return Json.write(m);
  }

  @SuppressWarnings("unchecked")
  public static SequencePlan fromJson(String json) {
    Map<String, Object> m = Json.parseObject(json);
    Map<String, Object> w = (Map<String, Object>) m.get("window");
    Map<String, Object> h = (Map<String, Object>) m.get("holidays");
    List<StagePlan> stages = new ArrayList<>();
    for (Object o : (List<Object>) m.get("stages")) {
      Map<String, Object> x = (Map<String, Object>) o;
      stages.add(
          new StagePlan(
              (String) x.get("medium"), Duration.ofSeconds(((Number) x.get("delay_seconds")).longValue()), (String) x.get("trigger"),
              (String) x.get("template"), (String) x.get("message_type"), (String) x.get("snippet")));
    }
    return new SequencePlan(
        ZoneId.of((String) m.get("zone")), LocalTime.parse((String) w.get("start")), LocalTime.parse((String) w.get("end")),
        (String) h.get("country"), (String) h.get("subdivision"),
        ((List<Object>) h.get("extra_dates")).stream().map(d -> LocalDate.parse((String) d)).toList(), stages);
  }
}
