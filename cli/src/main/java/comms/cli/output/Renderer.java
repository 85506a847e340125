package comms.cli.output;

import comms.core.json.Json;
import java.io.PrintWriter;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

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
    DumpSettings settings =
        DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2).setIndicatorIndent(0).setWidth(120).build();
    return new Dump(settings).dumpToString(tree);
  }
}
