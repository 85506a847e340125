package comms.core.json;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Writes plain trees (the same ones {@link Json} writes) as block-style YAML documents. */
public final class Yaml {
  private Yaml() {}

  public static String dump(Object tree) {
    DumpSettings settings =
        DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2).setIndicatorIndent(0).setWidth(120).build();
    return new Dump(settings).dumpToString(tree);
  }
}
