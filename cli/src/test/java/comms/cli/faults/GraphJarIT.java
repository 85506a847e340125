package comms.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.LauncherIT;
import comms.cli.LauncherIT.Proc;
import comms.core.provider.FakeAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launcher reaches Microsoft Graph through comms-graph.jar: comms.jar leaves the Graph
 * SDK out (see GraphSdk), so this is the one test that proves the pilot-mailbox commands still work
 * from the jars a user runs. A live-pilot probe (stack.status) and a test send (mail.send.test)
 * through bin/comms, against a loopback Graph and token authority.
 */
class GraphJarIT {
  @TempDir Path tmp;

  Proc comms(Map<String, String> env, String stdin, String... args) throws IOException, InterruptedException {
    return LauncherIT.launch(tmp, env, stdin, "comms", args);
  }

  @Test
  void pilotMailboxCommandsReachGraphFromThePackagedJars() throws Exception {
    assertTrue(Files.isRegularFile(LauncherIT.ROOT.resolve("cli/target/comms-graph.jar")), "the build makes comms-graph.jar");
    try (LoopbackProviders server = new LoopbackProviders();
        FakeAuthority authority = new FakeAuthority()) {
      Lane live = new Lane(tmp.resolve("live"), "gj", Lane.Mode.LIVE_TWILIO, server);
      Path pilot = SecretsSweep.pilotBindings(tmp.resolve("pilot"), live.bindings, server.url() + "/v1.0", authority.url());
      Map<String, String> env = new java.util.HashMap<>(live.env());
      env.put("COMMS_BINDINGS", pilot.toString());

      Proc status = comms(env, null, "stack.status");
      assertEquals(0, status.exit(), status::toString);
      assertTrue(server.seen().stream().anyMatch(s -> s.startsWith("GET /v1.0/users/")), () -> "the probe reached Graph: " + server.seen());

      Proc send = comms(env, "yes\n", "mail.send.test", "--to", "dana@lakesideprint.com", "--subject", "pilot", "--body", "hello", "--execute");
      assertEquals(0, send.exit(), send::toString);
      assertEquals(1, server.deliveredTo("dana@lakesideprint.com"), send::toString);
      assertTrue(server.seen().stream().anyMatch(s -> s.matches("POST /v1\\.0/users/.+/sendMail")), () -> String.valueOf(server.seen()));

      // A typed read: the SDK's message models, from comms-graph.jar, parse Graph's answer.
      Proc search = comms(env, null, "mail.search", "--query", "*", "--top", "5", "-o", "json");
      assertEquals(0, search.exit(), search::toString);
      assertTrue(search.out().contains("[comms pilot] hello [CT-LOOPBACK]") && search.out().contains("maria@example.com"), search::toString);
    }
  }
}
