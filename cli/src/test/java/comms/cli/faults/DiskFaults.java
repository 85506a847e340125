package comms.cli.faults;

import comms.core.outbox.OutboxPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 7, promise 6: an outbox that cannot be written fails loudly before dispatch, never "sent but
 * not recorded". Each situation is a live send.execute (Twilio and Resend) in its own process
 * against a {@link LoopbackProviders} that counts requests: it must exit 3 with a sentence saying
 * nothing was sent, and zero requests may reach the provider.
 *
 * <p>Read-only folders and files are made with a read-only bind mount and full disks with a small
 * tmpfs, inside a private mount namespace of the comms process ({@code unshare -m}), because file
 * permissions do not stop root. Without root and unshare, permissions are used instead, and the
 * full-disk situations are skipped (and say so).
 */
final class DiskFaults {
  /** One way the outbox cannot be written. */
  enum Situation {
    OUTBOX_READ_ONLY_EMPTY("a read-only outbox, nothing in it yet", false),
    OUTBOX_READ_ONLY("a read-only outbox holding earlier sends", true),
    JOURNAL_READ_ONLY("a read-only delivery log", true),
    COMMUNICATIONS_READ_ONLY("a read-only communications folder", true),
    FOLDER_READ_ONLY_LOG_WRITABLE("a writable delivery log in a read-only communications folder", true),
    STATE_READ_ONLY("a read-only state folder (SQLite store)", true),
    DISK_NEARLY_FULL("a disk with less than 1 MB free", false),
    DISK_FULL("a disk with no byte free", false),
    JOURNAL_IS_A_FOLDER("a delivery log that is a folder", true),
    COMMUNICATIONS_IS_A_FILE("a communications folder that is a file", false);

    final String label;
    final boolean seeded;

    Situation(String label, boolean seeded) {
      this.label = label;
      this.seeded = seeded;
    }
  }

  /** The figures of one pass. */
  static final class Figures {
    int situations;
    int refusedBeforeDispatch;
    int requestsReached;
    int wrongExit;
    int withoutSentence;
    final List<String> skipped = new ArrayList<>();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    String mechanism;
    String receiptsReadOnly;

    String summary() {
      return "read-only and full disks: " + situations + " live sends (" + Situation.values().length + " situations, "
          + (situations > Situation.values().length ? "each through Twilio and Resend" : "Twilio and Resend taking turns") + "; " + mechanism + "): " + refusedBeforeDispatch + " refused before dispatch with exit 3 saying nothing was sent, "
          + requestsReached + " requests reached the provider, " + wrongExit + " wrong exit codes"
          + (skipped.isEmpty() ? "" : "; skipped: " + String.join(", ", skipped)) + "; " + receiptsReadOnly;
    }
  }

  private final Path dir;
  private final boolean namespaces;
  private final boolean root;

  DiskFaults(Path dir) {
    this.dir = dir;
    this.root = "root".equals(System.getProperty("user.name"));
    this.namespaces = root && unshareWorks();
  }

  private static boolean unshareWorks() {
    try {
      Process p = new ProcessBuilder("unshare", "-m", "true").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  Figures run() throws Exception {
    Figures f = new Figures();
    f.mechanism = namespaces ? "read-only bind mounts and small tmpfs in a private mount namespace" : "file permissions";
    List<Runnable> pending = new ArrayList<>();
    // CI makes each situation once, Twilio and Resend taking turns (the outbox, not the provider, is
    // what fails); -Dfaults.scale=full makes every situation for both.
    for (Situation s : Situation.values()) {
      for (Lane.Mode mode : List.of(Lane.Mode.LIVE_TWILIO, Lane.Mode.LIVE_RESEND)) {
        if (FaultsScale.FULL || (s.ordinal() % 2 == 0) == (mode == Lane.Mode.LIVE_TWILIO)) {
          pending.add(() -> situation(f, mode, s));
        }
      }
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, FaultsScale.PARALLEL_LANES + 1));
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (Runnable r : pending) {
        futures.add(pool.submit(r));
      }
      for (java.util.concurrent.Future<?> fut : futures) {
        fut.get();
      }
    } finally {
      pool.shutdownNow();
    }
    f.receiptsReadOnly = receiptsReadOnly(f);
    return f;
  }

  private void situation(Figures f, Lane.Mode mode, Situation s) {
    try (LoopbackProviders server = new LoopbackProviders()) {
      Lane lane = new Lane(dir.resolve(mode.tag + "-" + s.name().toLowerCase(java.util.Locale.ROOT)), mode.tag, mode, server);
      if (s.seeded) {
        comms.cli.CliRun.Result seed = lane.cli().stdin("yes\n").run(lane.execute(lane.next()).toArray(String[]::new));
        if (seed.exit() != 0) {
          throw new AssertionError("seed send failed:\n" + seed);
        }
      }
      int before = server.requests();
      List<String> wrap = prepare(lane, s);
      if (wrap == null) {
        synchronized (f) {
          if (!f.skipped.contains(s.label)) {
            f.skipped.add(s.label + " (needs root and unshare)");
          }
        }
        return;
      }
      CommsProcess p = lane.process(lane.execute(lane.next())).stdin("yes\n");
      if (!wrap.isEmpty()) {
        p.wrappedIn(wrap);
      }
      CommsProcess.Result r = p.run();
      restore(lane, s);
      int requests = server.requests() - before;
      String where = mode.label + ", " + s.label;
      synchronized (f) {
        f.situations++;
        f.requestsReached += requests;
        if (requests > 0) {
          f.problems.add(where + ": " + requests + " requests reached the provider\n" + r);
        }
        if (r.exit() != 3) {
          f.wrongExit++;
          f.problems.add(where + ": exit " + r.exit() + ", expected 3\n" + r);
        } else if (!(r.err().contains("nothing was sent") || r.err().contains("nothing was changed") || r.err().contains("make the outbox folder writable"))) {
          f.withoutSentence++;
          f.problems.add(where + ": the message does not say what happened and what to do\n" + r);
        } else if (requests == 0) {
          f.refusedBeforeDispatch++;
        }
        if (r.err().contains("About to send") && !r.err().contains("nothing was sent")) {
          f.problems.add(where + ": asked for approval of a send it could not record\n" + r);
        }
      }
    } catch (Exception e) {
      f.problems.add(mode.label + ", " + s.label + ": " + e);
    }
  }

  /**
   * Makes the situation; returns the wrapper command for the comms process (empty for none), or
   * null when this machine cannot make it.
   */
  private List<String> prepare(Lane lane, Situation s) throws IOException {
    OutboxPaths o = new OutboxPaths(lane.outbox);
    Files.createDirectories(lane.outbox);
    switch (s) {
      case JOURNAL_IS_A_FOLDER -> {
        Files.delete(o.deliveryLog());
        Files.createDirectories(o.deliveryLog());
        return List.of();
      }
      case COMMUNICATIONS_IS_A_FILE -> {
        Files.writeString(o.communications(), "not a folder");
        return List.of();
      }
      case DISK_NEARLY_FULL, DISK_FULL -> {
        if (!namespaces) {
          return null;
        }
        // A 2 MB tmpfs over the outbox, filled to leave 512 KB (below the 1 MB the journal asks for) or nothing.
        String fill = s == Situation.DISK_FULL ? "head -c 4000000 /dev/zero > \"$O/fill\" 2>/dev/null; " : "head -c 1572864 /dev/zero > \"$O/fill\"; ";
        return unshare("mount -t tmpfs -o size=2m tmpfs \"$O\" && " + fill, lane.outbox);
      }
      case FOLDER_READ_ONLY_LOG_WRITABLE -> {
        if (namespaces) {
          return unshare(
              "mount --bind \"$T\" \"$T\" && mount -o remount,bind,ro \"$T\" && mount --bind \"$T/" + o.deliveryLog().getFileName()
                  + "\" \"$T/" + o.deliveryLog().getFileName() + "\" && mount -o remount,bind,rw \"$T/" + o.deliveryLog().getFileName() + "\" && ",
              o.communications());
        }
        if (root) {
          return null;
        }
        Files.setPosixFilePermissions(o.communications(), PosixFilePermissions.fromString("r-xr-xr-x"));
        return List.of();
      }
      default -> {
        Path target =
            switch (s) {
              case JOURNAL_READ_ONLY -> o.deliveryLog();
              case COMMUNICATIONS_READ_ONLY -> o.communications();
              case STATE_READ_ONLY -> o.state();
              default -> lane.outbox;
            };
        if (namespaces) {
          return unshare("mount --bind \"$T\" \"$T\" && mount -o remount,bind,ro \"$T\" && ", target);
        }
        if (root) {
          return null;
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(Files.isDirectory(target) ? "r-xr-xr-x" : "r--r--r--"));
        return List.of();
      }
    }
  }

  private static List<String> unshare(String setup, Path target) {
    String script = "O=" + quote(target.toString()) + "; T=\"$O\"; " + setup + "exec \"$@\"";
    return List.of("unshare", "-m", "sh", "-c", script, "sh");
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private void restore(Lane lane, Situation s) throws IOException {
    if (namespaces || root) {
      return;
    }
    for (Path p : List.of(lane.outbox, new OutboxPaths(lane.outbox).communications(), new OutboxPaths(lane.outbox).state(), new OutboxPaths(lane.outbox).deliveryLog())) {
      if (Files.exists(p)) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }

  /**
   * The receipt is written after the send (it names what the run wrote), so a read-only receipts
   * folder cannot stop a send; what matters is that the delivery log still records it and the run
   * says the receipt is missing.
   */
  private String receiptsReadOnly(Figures f) {
    if (!namespaces && root) {
      return "read-only receipts folder: skipped (needs root and unshare)";
    }
    try (LoopbackProviders server = new LoopbackProviders()) {
      Lane lane = new Lane(dir.resolve("receipts-read-only"), "rcp", Lane.Mode.LIVE_RESEND, server);
      Path receipts = lane.outbox.resolve("receipts");
      Files.createDirectories(receipts);
      CommsProcess p = lane.process(lane.execute(0)).stdin("yes\n");
      if (namespaces) {
        p.wrappedIn(unshare("mount --bind \"$T\" \"$T\" && mount -o remount,bind,ro \"$T\" && ", receipts));
      } else {
        Files.setPosixFilePermissions(receipts, PosixFilePermissions.fromString("r-xr-xr-x"));
      }
      CommsProcess.Result r = p.run();
      int logged = OutboxInspection.of(lane.outbox).successes(lane.key(0));
      if (r.exit() != 0 || logged != 1 || !r.err().contains("could not write the receipt") || server.requests() != 1) {
        f.problems.add("read-only receipts folder: expected one send, logged, with a warning about the receipt\n" + r);
      }
      return "read-only receipts folder: " + server.requests() + " send, " + logged + " delivery-log line, and a warning that the receipt is missing";
    } catch (IOException e) {
      f.problems.add("read-only receipts folder: " + e);
      return "read-only receipts folder: failed";
    }
  }
}
