package comms.cli.output;

import comms.core.json.Json;
import java.io.PrintWriter;

/** The one renderer: a {@link View} as a table, one JSON document, or one YAML document on stdout. */
public final class Renderer {
  private Renderer() {}

  public static void render(View view, Format format, PrintWriter out, boolean color) {
    switch (format) {
      case json -> out.println(Json.pretty(view.tree()));
      case yaml -> out.print(yaml(view.tree()));
      case table -> view.table(new Table.Printer(out, color));
    }
    out.flush();
  }

  public static String yaml(Object tree) {
    return comms.core.json.Yaml.dump(tree);
  }
}
