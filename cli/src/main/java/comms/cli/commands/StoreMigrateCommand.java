package comms.cli.commands;

import comms.cli.App;
import comms.cli.ApprovalGated;
import comms.cli.output.Table;
import comms.cli.output.View;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.operator.AuditTrail;
import comms.core.store.Store;
import comms.core.store.StoreContract;
import comms.core.store.StoreCopy;
import comms.core.store.StoreUrl;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `comms store.migrate`: copy a SQLite store into an empty PostgreSQL one, checked table by table. */
@ApprovalGated
@Command(
    name = "store.migrate",
    description = {
      "Copy a SQLite store into an empty PostgreSQL store.",
      "Every table row for row, ids included (the audit log keeps its ids and order), in one transaction; then each table's row count and a SHA-256 over its rows are compared on both sides, and any difference commits nothing.",
      "The PostgreSQL password comes from the environment variable the store contract names (password_env, default COMMS_STORE_PASSWORD), never from the URL.",
      "Without --execute it is a dry run listing what would be copied; with it you are asked to type yes."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  comms store.migrate --from sqlite \\",
      "      --to 'postgresql://db.internal:5432/comms?user=comms'",
      "  echo yes | comms store.migrate --from sqlite \\",
      "      --to 'postgresql://db.internal:5432/comms?user=comms' --execute   # exit 3"
    })
public final class StoreMigrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "sqlite:PATH", description = "The SQLite store to copy (sqlite: the outbox's).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "postgresql://HOST:PORT/DB?user=NAME", description = "The empty PostgreSQL store to copy into.")
  String to;

  @Mixin ExecuteOption execute;

  record CopyView(String from, String to, boolean copied, List<StoreCopy.Table> tables, String note) implements View {
    @Override
    public Object tree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("from", from);
      m.put("to", to);
      m.put("copied", copied);
      m.put("tables", StoreCopy.tree(tables));
      m.put("note", note);
      return m;
    }

    @Override
    public void table(Table.Printer p) {
      p.fields("from", from, "to", to, "copied", copied ? "yes, counts and hashes match" : "no");
      for (StoreCopy.Table t : tables) {
        p.line(String.format("  %-18s %8d rows  sha256 %s", t.name(), t.rows(), t.sha256().substring(0, 16)));
      }
      p.line(note);
    }
  }

  @Override
  public Integer call() {
    App app = App.of(spec);
    String passwordEnv = passwordEnv(app);
    StoreUrl source = StoreUrl.parse(from, "--from", app.outbox().store(), app.env(), passwordEnv);
    StoreUrl target = StoreUrl.parse(to, "--to", null, app.env(), passwordEnv);
    if (source.postgres()) {
      throw CommsException.usage("--from is the SQLite store to copy: sqlite (this outbox's) or sqlite:PATH, not " + source.display());
    }
    if (!target.postgres()) {
      throw CommsException.usage("--to is the PostgreSQL store to copy into: postgresql://HOST:PORT/DATABASE?user=NAME, not " + target.display());
    }
    if (execute.execute() && target.password() == null) {
      throw new CommsException(
          ExitCode.CONTRACT, "set the password of " + target.display() + " in the environment variable " + passwordEnv + "; nothing was copied");
    }
    app.identity();
    try (Store src = Store.open(source)) {
      List<StoreCopy.Table> survey = StoreCopy.survey(src);
      long rows = survey.stream().mapToLong(StoreCopy.Table::rows).sum();
      AuditTrail.Action action = AuditTrail.Action.of("store.migrate", "store", AuditTrail.hash(target.display())).with("rows", rows);
      String summary = "About to copy " + rows + " rows in " + survey.size() + " tables\n  from: " + source.display() + "\n  to:   " + target.display();
      if (!execute.approved(app, summary, action)) {
        app.render(new CopyView(source.display(), target.display(), false, survey, "dry run: nothing copied"));
        return 0;
      }
      // The decision is audited in this run's store before the copy; when that is the source, the copy carries it too.
      try (Store src2 = Store.open(source);
          Store dst = Store.open(target)) {
        List<StoreCopy.Table> copied = StoreCopy.copy(src2, dst);
        app.render(new CopyView(source.display(), target.display(), true, copied,
            "copied and checked; point comms at it with url: in bindings/" + StoreContract.FILE + " or COMMS_STORE_URL"));
      }
    }
    return 0;
  }

  private static String passwordEnv(App app) {
    Path f = app.bindingsDir().resolve(StoreContract.FILE);
    if (java.nio.file.Files.isRegularFile(f)) {
      return comms.core.contract.YamlValue.parse(f, StoreContract.FILE).asMap().string("password_env", StoreUrl.DEFAULT_PASSWORD_ENV);
    }
    return StoreUrl.DEFAULT_PASSWORD_ENV;
  }
}
