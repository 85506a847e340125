package comms.core.sequence;

import comms.core.contract.TemplatesCatalog;
import comms.core.send.RecipientCheck;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of a recipient row that need no store: an address or number that can be sent to, every
 * variable the stages' templates (or pinned snippet versions) declare, and no {@code {{}}/{@code }}} in a value the body would carry.
 * Suppressions, opt-outs and other enrollments need the store and are {@link Enrollment}'s.
 */
public final class RecipientRowCheck {
  private final Set<String> variables;
  private final boolean needsEmail;
  private final boolean live;

  /** Rows must carry {@code variables}, an email when {@code needsEmail}; {@code live} judges numbers as a live send does. */
  public RecipientRowCheck(Collection<String> variables, boolean needsEmail, boolean live) {
    this.variables = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(variables));
    this.needsEmail = needsEmail;
    this.live = live;
  }

  /** The check for a sequence: the variables its stages' templates declare, and an email if any stage goes out by email. */
  public static RecipientRowCheck of(SequencePlan plan, TemplatesCatalog templates, boolean live) {
    return of(plan, StageBodies.of(templates, null), live);
  }

  /**
   * The check for a sequence whose stages may pin snippet versions: the variables each stage's template
   * or pinned version declares, and an email if any stage goes out by email.
   */
  public static RecipientRowCheck of(SequencePlan plan, StageBodies bodies, boolean live) {
    Set<String> used = new LinkedHashSet<>();
    boolean email = false;
    for (SequencePlan.StagePlan s : plan.stages()) {
      bodies.template(s).ifPresent(t -> used.addAll(t.variables()));
      email |= s.medium().equals("email") || s.medium().equals("imessage"); // an iMessage finds its number by the email
    }
    return new RecipientRowCheck(used, email, live);
  }

  /** What each row must carry. */
  public Set<String> variables() {
    return variables;
  }

  /** The rows that pass, and the others with their reasons, in file order. */
  public record Verdict(List<Enrollment.RecipientInput> accepted, List<Enrollment.Rejected> rejected) {
    public Verdict {
      accepted = List.copyOf(accepted);
      rejected = List.copyOf(rejected);
    }
  }

  public Verdict check(List<Enrollment.RecipientInput> rows) {
    List<Enrollment.RecipientInput> accepted = new ArrayList<>();
    List<Enrollment.Rejected> rejected = new ArrayList<>();
    for (Enrollment.RecipientInput r : rows) {
      Optional<String> why = reason(r);
      if (why.isPresent()) {
        rejected.add(new Enrollment.Rejected(r.line(), strip(r.email()), strip(r.phone()), why.get()));
      } else {
        accepted.add(r);
      }
    }
    return new Verdict(accepted, rejected);
  }

  /** The first thing wrong with {@code r} as a reason word ({@code invalid:…}, {@code missing_variable:…}); empty when it passes. */
  public Optional<String> reason(Enrollment.RecipientInput r) {
    String e = strip(r.email());
    String p = strip(r.phone());
    String cc = strip(r.cc());
    if (e == null && p == null) {
      return Optional.of("invalid:no_address");
    }
    if (e == null && needsEmail) {
      return Optional.of("invalid:no_email");
    }
    if (e != null) {
      Optional<String> bad = emailProblem(e);
      if (bad.isPresent()) {
        return bad;
      }
    }
    if (p != null && !RecipientCheck.sms(p, live).usable()) {
      return Optional.of("invalid:phone");
    }
    if (cc != null && emailProblem(cc).isPresent()) {
      return Optional.of("invalid:cc");
    }
    for (String v : variables) {
      String value = r.vars().get(v);
      if (value == null || value.isBlank()) {
        return Optional.of("missing_variable:" + v);
      }
    }
    for (String v : variables) {
      // Left in a value, braces would reach the recipient as template residue.
      String value = r.vars().get(v);
      if (value.contains("{{") || value.contains("}}")) {
        return Optional.of("invalid:template_residue:" + v);
      }
    }
    return Optional.empty();
  }

  /** The first thing wrong with an email address, as a reason word; the address rules are {@link RecipientCheck}'s. */
  static Optional<String> emailProblem(String address) {
    String a = address.strip();
    int at = a.indexOf('@');
    if (at >= 0 && a.indexOf('@', at + 1) >= 0) {
      return Optional.of("invalid:double_at");
    }
    if (at > 0 && a.indexOf('.', at) < 0) {
      return Optional.of("invalid:no_tld");
    }
    return RecipientCheck.email(a).usable() ? Optional.empty() : Optional.of("invalid:email");
  }

  private static String strip(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
