package comms.core.sequence;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.TemplatesCatalog;
import comms.core.snippet.SnippetService;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a stage's text comes from: its catalog template, or the snippet version it pins, given as a
 * template so that enrollment checks its variables and the governed path renders and gates it the
 * same way whichever it is.
 */
public final class StageBodies {
  private final TemplatesCatalog templates;
  private final SnippetService snippets;

  private StageBodies(TemplatesCatalog templates, SnippetService snippets) {
    this.templates = Objects.requireNonNull(templates);
    this.snippets = snippets;
  }

  /** Stage texts from {@code templates} and, for snippet stages, {@code snippets} (null: snippet stages cannot be read). */
  public static StageBodies of(TemplatesCatalog templates, SnippetService snippets) {
    return new StageBodies(templates, snippets);
  }

  /** The template stage {@code s} renders; empty for a catalog template the catalog no longer has. */
  public Optional<TemplatesCatalog.Template> template(SequencePlan.StagePlan s) {
    if (!s.fromSnippet()) {
      return templates.template(s.template());
    }
    if (snippets == null) {
      throw new CommsException(ExitCode.CONTRACT, "a stage pins snippet " + s.snippet() + ", but this run was not given the snippet library");
    }
    return Optional.of(
        snippets.template(s.snippet(), s.messageType())
            .orElseThrow(() -> new CommsException(ExitCode.CONTRACT, "a stage pins snippet " + s.snippet() + ", which the state store does not hold")));
  }

  /** The text a snippet stage renders in place of its route's template; null for a template stage (the route's own template). */
  TemplatesCatalog.Template override(SequencePlan.StagePlan s) {
    return s.fromSnippet() ? template(s).orElseThrow() : null;
  }
}
