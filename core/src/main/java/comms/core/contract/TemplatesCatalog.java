package comms.core.contract;

import java.util.List;
import java.util.Optional;

/** communications.templates.catalog.yaml: every message template by channel and message type. */
public record TemplatesCatalog(Source source, List<Template> templates) {
  public static final String FILE = "communications.templates.catalog.yaml";

  public TemplatesCatalog {
    templates = List.copyOf(templates);
  }

  /** One template. Email has a subject and may have an HTML part; SMS has only a body. */
  public record Template(
      Source source, String id, String messageType, String channel, List<String> variables, String subject, String body, String html) {
    public Template {
      variables = List.copyOf(variables);
    }
  }

  public Optional<Template> template(String id) {
    return templates.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  public static TemplatesCatalog from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    List<Template> templates = m.list("templates", TemplatesCatalog::template);
    m.end();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Template t : templates) {
      if (!ids.add(t.id())) {
        throw new ContractException(t.source(), "template id '" + t.id() + "' is used twice; ids must be unique");
      }
    }
    return new TemplatesCatalog(root.source(), templates);
  }

  private static Template template(YamlValue v) {
    YamlMap m = v.asMap();
    String channel = m.oneOf("channel", Channels.SENDABLE);
    String subject = channel.equals(Channels.EMAIL) ? m.string("subject") : null;
    String html = channel.equals(Channels.EMAIL) ? m.string("html", null) : null;
    Template t =
        new Template(
            m.source(),
            m.string("id"),
            m.string("message_type"),
            channel,
            m.strings("variables", List.of()),
            subject,
            m.string("body"),
            html);
    m.end();
    return t;
  }
}
