package comms.cli.commands.status;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.contract.TemplatesCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms templates.list`: the template catalog by channel and message type. */
@Command(
    name = "templates.list",
    description = {
      "List the templates by channel and message type.",
      "Lists the template catalog by channel and message type, with each template's declared variables."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms templates.list",
      "  comms templates.list --channel sms --output json"
    })
public final class TemplatesListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The channels a template can be written for. */
  enum Channel {
    sms,
    email
  }

  @Option(names = "--channel", paramLabel = "CHANNEL", description = "Only this channel: ${COMPLETION-CANDIDATES}.")
  Channel channel;

  record TemplatesView(List<TemplatesCatalog.Template> templates) implements View {
    @Override
    public Object tree() {
      List<Object> rows = new ArrayList<>();
      for (TemplatesCatalog.Template t : templates) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", t.id());
        r.put("channel", t.channel());
        r.put("message_type", t.messageType());
        r.put("variables", t.variables());
        if (t.subject() != null) {
          r.put("subject", t.subject());
        }
        r.put("has_html", t.html() != null);
        rows.add(r);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("templates", rows);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      List<List<String>> rows = new ArrayList<>();
      for (TemplatesCatalog.Template t : templates) {
        rows.add(List.of(t.channel(), t.messageType(), t.id(), String.join(", ", t.variables())));
      }
      p.table(List.of("CHANNEL", "MESSAGE TYPE", "TEMPLATE", "VARIABLES"), rows);
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    List<TemplatesCatalog.Template> ts =
        app.bindings().templates().templates().stream()
            .filter(t -> channel == null || t.channel().equals(channel.name()))
            .sorted(Comparator.comparing(TemplatesCatalog.Template::channel).thenComparing(TemplatesCatalog.Template::messageType))
            .toList();
    app.render(new TemplatesView(ts));
    return 0;
  }
}
