package comms.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run that bin/comms records its class-data (AppCDS) archive from, once per built jar: it runs the
 * read-only commands in-process with their output thrown away, so the archive holds every class a
 * typical invocation loads, and it puts sqlite's native library where the launcher can point
 * sqlite-jdbc at it instead of having it extracted to a temporary file on every start.
 *
 * <p>Usage: {@code java -XX:ArchiveClassesAtExit=A -cp comms.jar comms.cli.ArchiveTraining BINDINGS
 * SQLITE_DIR}. Nothing here may write outside a temporary folder and SQLITE_DIR, nor read stdin.
 */
public final class ArchiveTraining {
  private ArchiveTraining() {}

  /** The runbook's SMS preview, so send.preview's classes (phone numbers, templates) are archived too. */
  static final String[] SMS_PREVIEW = {
    "send.preview", "--channel", "sms", "--message-type", "payment_needed", "--to", "+15551234567",
    "--consent-state", "opted-in",
    "--vars-json",
    "{\"customer_name\":\"Test\",\"order_number\":\"30020\",\"balance_amount\":\"150.00\",\"payment_link\":\"https://example.com/pay\"}"
  };

  /**
   * Read-only command lines only. A command this build does not have just ends in a usage error, which
   * still loads the error path's classes.
   */
  static final List<String[]> COMMANDS =
      List.of(
          new String[] {"--help"},
          new String[] {"--version"},
          new String[] {"stack.status"},
          new String[] {"stack.status", "--output", "json"},
          new String[] {"policy.status"},
          new String[] {"policy.status", "--output", "json"},
          new String[] {"policy.status", "--output", "yaml"},
          new String[] {"provider.status"},
          new String[] {"templates.list"},
          new String[] {"mailboxes.list"},
          new String[] {"mail.search", "--query", "*"},
          new String[] {"cap", "list"},
          new String[] {"cap", "run", "communications.policy.status"},
          SMS_PREVIEW,
          new String[] {"send.preview", "--output", "json"},
          new String[] {"delivery.log", "--limit", "20"},
          new String[] {"delivery.log", "--status", "failed", "--limit", "20", "--output", "json"},
          new String[] {"no.such.command"});

  /** One line of the delivery journal, so delivery.log has something to read. */
  static final String JOURNAL_LINE =
      "{\"time\":\"2026-06-16T17:00:00Z\",\"delivery_id\":\"d-1\",\"run_key\":\"r-1\",\"mode\":\"simulation\","
          + "\"channel\":\"sms\",\"message_type\":\"payment_needed\",\"provider\":\"twilio\",\"to\":\"+15551234567\","
          + "\"status\":\"failed\",\"provider_message_id\":null,\"idempotency_key\":\"k-1\",\"body_hash\":\"00\","
          + "\"error\":\"simulated\",\"attempts\":1,\"operator\":\"training\",\"prev_hash\":\"00\",\"hash\":\"01\"}\n";

  public static void main(String[] args) throws IOException, ClassNotFoundException {
    if (args.length != 2) {
      System.err.println("usage: ArchiveTraining BINDINGS_DIR SQLITE_LIB_DIR");
      System.exit(2);
    }
    boolean sqliteReady = extractSqliteLibrary(Path.of(args[1]));
    Path outbox = Files.createTempDirectory("comms-training-");
    try {
      Path journal = outbox.resolve("communications").resolve("communications-delivery-log.jsonl");
      Files.createDirectories(journal.getParent());
      Files.writeString(journal, JOURNAL_LINE.repeat(3));
      Map<String, String> env =
          Map.of(
              "COMMS_BINDINGS", args[0],
              "COMMS_OUTBOX", outbox.toString(),
              "COMMS_NOW", "2026-06-16T18:00:00Z",
              "NO_COLOR", "1");
      for (String[] line : COMMANDS) {
        try {
          Comms.run(new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream(), OutputStream.nullOutputStream(), env, line);
        } catch (RuntimeException | LinkageError e) {
          // A failing command still loaded classes worth archiving; the archive is an optimisation only.
        }
      }
      // What Main itself touches before Comms.run: its class and the real environment's map.
      Class.forName(Main.class.getName());
      Map.copyOf(System.getenv());
      if (sqliteReady) {
        openSqlite(Path.of(args[1]));
      }
    } finally {
      try (Stream<Path> s = Files.walk(outbox)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Copies sqlite-jdbc's native library for this OS and architecture out of the jar, under the name
   * and into the folder sqlite-jdbc itself would use, published with an atomic rename.
   */
  static boolean extractSqliteLibrary(Path dir) {
    try {
      String folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
      String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
      String resource = "/org/sqlite/native/" + folder + "/" + name;
      Path target = dir.resolve(name);
      if (Files.isRegularFile(target)) {
        return true;
      }
      try (InputStream in = ArchiveTraining.class.getResourceAsStream(resource)) {
        if (in == null) {
          return false;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return true;
    } catch (IOException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Opens an in-memory database through the extracted library, so the driver's classes are archived. */
  static void openSqlite(Path dir) {
    try {
      System.setProperty("org.sqlite.lib.path", dir.toString());
      System.setProperty("org.sqlite.lib.name", org.sqlite.util.LibraryLoaderUtil.getNativeLibName());
      try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:");
          java.sql.Statement st = c.createStatement()) {
        st.execute("PRAGMA user_version");
      }
    } catch (java.sql.SQLException | RuntimeException | LinkageError e) {
      // optional: the archive simply lacks the driver's classes
    }
  }
}
