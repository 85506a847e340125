package comms.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.LauncherIT;
import comms.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * comms serve through the packaged launcher: SIGTERM while a request is in flight lets that request
 * finish and its answer go out, then the process ends and what it wrote is in the store.
 */
class ServeShutdownIT {
  @TempDir Path tmp;

  @Test
  void sigtermLetsTheRequestInFlightFinish() throws Exception {
    Map<String, String> env = Map.of("COMMS_OUTBOX", tmp.resolve("outbox").toString(), "COMMS_JWT_SECRET", ServeFixture.SECRET, "COMMS_NOW", ServeFixture.NOW);
    LauncherIT.Proc minted = LauncherIT.launch(tmp, env, null, "comms", "auth.token", "--as", ServeFixture.OPERATOR);
    assertEquals(0, minted.exit(), minted::toString);
    String token = minted.out().strip();

    List<String> cmd = new ArrayList<>(List.of(LauncherIT.ROOT.resolve("bin/comms").toString(), "serve", "--listen", "127.0.0.1:0", "--drain-seconds", "30"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(LauncherIT.ROOT.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("COMMS_"));
    pb.environment().putAll(env);
    Path err = tmp.resolve("serve.err");
    pb.redirectError(err.toFile());
    Process server = pb.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertTrue(line != null, () -> "no output from comms serve; stderr:\n" + ServeFixture.readString(err));
      Matcher m = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)").matcher(line);
      assertTrue(m.find(), line);
      int port = Integer.parseInt(m.group(1));

      byte[] body = Json.write(ServeFixture.welcome("Drained")).getBytes(StandardCharsets.UTF_8);
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(60_000);
        OutputStream w = s.getOutputStream();
        InputStream r = s.getInputStream();
        String head = "POST /api/sequences HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length + "\r\nExpect: 100-continue\r\n\r\n";
        w.write(head.getBytes(StandardCharsets.US_ASCII));
        w.flush();
        // The server answers 100 Continue as it hands the exchange to the handler: from here the request is in flight.
        assertTrue(readHead(r).startsWith("HTTP/1.1 100"), "no 100 Continue");
        w.write(body, 0, body.length / 2);
        w.flush();
        server.destroy(); // SIGTERM
        waitFor(err, "waiting for 1 request in flight", server);
        w.write(body, body.length / 2, body.length - body.length / 2);
        w.flush();
        String answer = readHead(r);
        assertTrue(answer.startsWith("HTTP/1.1 201"), answer);
      }
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "comms serve did not stop");
      assertEquals(143, server.exitValue(), () -> ServeFixture.readString(err));
      String stderr = ServeFixture.readString(err);
      assertTrue(stderr.contains("comms serve: stopped"), stderr);
      assertFalse(stderr.contains("Exception"), stderr);
    } finally {
      server.destroyForcibly();
    }
    LauncherIT.Proc listed = LauncherIT.launch(tmp, env, null, "comms", "sequence.list", "--as", ServeFixture.OPERATOR, "-o", "json");
    assertTrue(listed.out().contains("\"name\": \"Drained\""), listed::toString);
  }

  /** The status line and headers of one answer. */
  static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      sb.append((char) c);
      if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return sb.toString();
  }

  /** Waits until the server's stderr says {@code text} (it is shutting down with the request still open). */
  static void waitFor(Path file, String text, Process p) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      if (!p.isAlive()) {
        break;
      }
      p.waitFor(50, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("comms serve never said '" + text + "':\n" + ServeFixture.readString(file));
  }
}
