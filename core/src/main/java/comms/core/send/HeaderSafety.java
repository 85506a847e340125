package comms.core.send;

import comms.core.contract.ProvidersContract;
import comms.core.contract.TemplatesCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code header_safety} gate: what becomes a message header (the subject after substitution, the
 * provider's From) is one line with no control characters, so a value cannot add a header such as Bcc.
 */
public final class HeaderSafety {
  private HeaderSafety() {}

  public static Gate gate(TemplatesCatalog.Template template, Map<String, String> vars, String subject, ProvidersContract.Provider provider) {
    List<String> problems = new ArrayList<>();
    Optional<ControlCharacters.Found> inSubject = ControlCharacters.firstInHeader(subject);
    if (inSubject.isPresent()) {
      problems.add("the subject holds " + inSubject.get().describe() + " at character " + inSubject.get().position() + " after substitution, "
          + origin(template, vars));
    }
    Optional<ControlCharacters.Found> inFrom = ControlCharacters.firstInHeader(provider.from());
    if (inFrom.isPresent()) {
      problems.add("provider '" + provider.name() + "' has a from (" + provider.source().where() + ") that holds " + inFrom.get().describe()
          + " at character " + inFrom.get().position() + "; fix it in " + ProvidersContract.FILE);
    }
    if (!problems.isEmpty()) {
      return Gate.fail(Gate.HEADER_SAFETY, String.join("; ", problems) + " (a header is one line: line breaks and control characters could add headers)");
    }
    return Gate.pass(
        Gate.HEADER_SAFETY,
        subject != null ? "the subject and the sender are one line each, with no control characters" : "the sender is one line with no control characters; "
            + template.channel() + " has no subject");
  }

  /** Which variable put the character into the subject, or the template's own text. */
  private static String origin(TemplatesCatalog.Template template, Map<String, String> vars) {
    for (String name : TemplateRenderer.placeholders(template, "subject")) {
      Optional<ControlCharacters.Found> f = ControlCharacters.firstInHeader(vars.get(name));
      if (f.isPresent()) {
        return "from variable " + name + " (character " + f.get().position() + " of its value); remove line breaks and control characters from that value";
      }
    }
    return "from the subject of template '" + template.id() + "' (" + template.source().where() + "); make it one line";
  }
}
