package comms.cli.commands.status;

import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.contract.Bindings;
import comms.core.provider.ProviderReadiness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `comms provider.status`: each provider's channel, mode and live-secret readiness. */
@Command(
    name = "provider.status",
    description = {
      "Show the providers, their channels and modes.",
      "Shows the Graph, Resend and Twilio routes: channels, mode (simulation or live) and, for live execution, which required environment variables are set. Names only, never values."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms provider.status",
      "  comms provider.status --output json"
    })
public final class ProviderStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  record StatusView(List<ProviderReadiness.Status> providers) implements View {
    @Override
    public Object tree() {
      List<Object> rows = new ArrayList<>();
      for (ProviderReadiness.Status s : providers) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", s.name());
        r.put("kind", s.kind());
        r.put("channels", s.channels());
        r.put("mode", s.mode());
        r.put("base_url", s.baseUrl());
        r.put("routes", s.routes());
        List<Object> env = new ArrayList<>();
        for (ProviderReadiness.EnvVar e : s.env()) {
          Map<String, Object> x = new LinkedHashMap<>();
          x.put("role", e.role());
          x.put("name", e.name());
          x.put("set", e.set());
          env.add(x);
        }
        r.put("env", env);
        r.put("ready", s.ready());
        rows.add(r);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("providers", rows);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      List<List<String>> rows = new ArrayList<>();
      for (ProviderReadiness.Status s : providers) {
        List<String> envs = s.env().stream().map(e -> e.name() + (e.set() ? " (set)" : " (missing)")).toList();
        String ready = s.mode().equals("simulation") ? "simulated" : s.ready() ? "ready" : "missing " + String.join(", ", s.missing());
        rows.add(
            List.of(
                s.name(),
                s.kind(),
                String.join(",", s.channels()),
                s.mode(),
                p.status(s.ready() ? (s.mode().equals("simulation") ? "simulated" : "ready") : "not-ready"),
                String.join(" ", envs)));
        if (!s.ready()) {
          rows.add(List.of("", "", "", "", "", ready));
        }
      }
      p.table(List.of("PROVIDER", "KIND", "CHANNELS", "MODE", "STATUS", "ENVIRONMENT (names only)"), rows);
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    Bindings b = app.bindings();
    app.render(new StatusView(ProviderReadiness.of(b.providers(), b.delivery(), b.stack(), app.env())));
    return 0;
  }
}
