package comms.cli.commands.status;

import comms.cli.commands.send.LiveAdapters;
import comms.cli.App;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.StackContract;
import comms.core.mail.MailboxSearch;
import comms.core.mail.SimulatedMailbox;
import comms.core.provider.GraphMailbox;
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

/** `comms mail.search`: search a pilot mailbox. */
@Command(
    name = "mail.search",
    description = {
      "Search the pilot mailboxes, newest first.",
      "In simulation it searches the catalog in the stack contract (and send-tests delivered to the simulated mailbox); in live-pilot mode it queries each mailbox's messages through Microsoft Graph ($search, $top) and needs the Graph secrets named in the providers contract. It shows sender, subject, received time and id.",
      "Query: \"*\" is everything; from:TEXT or subject:TEXT match one field; any other text matches subject, sender or body, ignoring case."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms mail.search --query \"*\" --top 5",
      "  comms mail.search --query \"from:maria\" --output json"
    })
public final class MailSearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--query", required = true, paramLabel = "Q", description = "What to find (see above).")
  String query;

  @Option(names = "--top", defaultValue = "10", paramLabel = "N", description = "At most N messages (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--mailbox", paramLabel = "ADDR", description = "Only this pilot mailbox (default: all active ones).")
  String mailbox;

  record HitsView(String mode, String query, List<MailboxSearch.Hit> hits) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mode", mode);
      m.put("query", query);
      m.put("count", hits.size());
      List<Object> rows = new ArrayList<>();
      for (MailboxSearch.Hit h : hits) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mailbox", h.mailbox());
        r.put("id", h.id());
        r.put("from", h.from());
        r.put("subject", h.subject());
        r.put("received_at", h.receivedAt());
        rows.add(r);
      }
      m.put("messages", rows);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      List<List<String>> rows = new ArrayList<>();
      for (MailboxSearch.Hit h : hits) {
        rows.add(List.of(h.receivedAt(), h.mailbox(), h.from(), h.subject(), h.id()));
      }
      p.table(List.of("RECEIVED", "MAILBOX", "FROM", "SUBJECT", "ID"), rows);
      p.blank();
      p.line(hits.size() + " message" + (hits.size() == 1 ? "" : "s") + " (" + mode + ")");
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    StackContract stack = app.bindings().stack();
    if (mailbox != null) {
      StackContract.Mailbox b =
          stack.pilot().mailbox(mailbox)
              .orElseThrow(
                  () ->
                      new CommsException(
                          ExitCode.USAGE,
                          "--mailbox " + mailbox + " is not a pilot mailbox; see comms mailboxes.list"));
      if (!b.active()) {
        throw new CommsException(ExitCode.USAGE, "--mailbox " + mailbox + " is not active in pilot.mailboxes[]");
      }
    }
    if (stack.pilot().live()) {
      app.render(new HitsView("live-pilot", query, live(app, stack)));
      return 0;
    }
    List<StackContract.CatalogMessage> all = new ArrayList<>(stack.pilot().catalog());
    all.addAll(SimulatedMailbox.in(app.outbox()).messages());
    List<String> active = stack.pilot().activeMailboxes().stream().map(StackContract.Mailbox::address).toList();
    List<StackContract.CatalogMessage> scope =
        all.stream().filter(m -> active.stream().anyMatch(a -> a.equalsIgnoreCase(m.mailbox()))).toList();
    app.render(new HitsView("simulation", query, MailboxSearch.search(scope, mailbox, query, top)));
    return 0;
  }

  /** Each mailbox in scope searched through Microsoft Graph, newest first across them, at most --top. */
  private List<MailboxSearch.Hit> live(App app, StackContract stack) {
    if (top < 1) {
      throw new CommsException(ExitCode.USAGE, "--top must be at least 1");
    }
    if (query == null || query.isBlank()) {
      throw new CommsException(ExitCode.USAGE, "--query is empty; use \"*\" to list everything");
    }
    List<String> boxes =
        mailbox != null ? List.of(mailbox) : stack.pilot().activeMailboxes().stream().map(StackContract.Mailbox::address).toList();
    GraphMailbox graph = LiveAdapters.of(app).mailbox(LiveAdapters.pilotProvider(stack, app.bindings().providers()));
    List<MailboxSearch.Hit> hits = new ArrayList<>();
    for (String box : boxes) {
      hits.addAll(graph.search(box, query, top));
    }
    hits.sort(Comparator.comparing(MailboxSearch.Hit::receivedAt).reversed());
    return List.copyOf(hits.subList(0, Math.min(top, hits.size())));
  }
}
