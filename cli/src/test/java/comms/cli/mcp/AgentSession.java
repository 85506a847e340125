package comms.cli.mcp;

import comms.cli.CliRun;
import comms.cli.Comms;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real `comms mcp` run (through {@link Comms#run}, the entry point main uses) on piped stdin and
 * stdout, and the MCP SDK's own client talking to it, as an MCP client process would.
 */
final class AgentSession implements AutoCloseable {
  final McpSyncClient client;
  final List<String> elicited = new ArrayList<>();
  final StreamClientTransport transport;
  private final Thread server;
  private final Pipe toServer = new Pipe();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final int[] exit = {-1};

  /** {@code answer} null: a client that declares no elicitation. */
  AgentSession(Path outbox, Map<String, String> extraEnv, Function<McpSchema.ElicitFormRequest, McpSchema.ElicitResult> answer, String... args) {
    Pipe toClient = new Pipe();
    Map<String, String> env = new HashMap<>();
    env.put("COMMS_BINDINGS", CliRun.SAMPLE_BINDINGS.toString());
    env.put("COMMS_OUTBOX", outbox.toString());
    env.put("NO_COLOR", "1");
    env.putAll(extraEnv);
    List<String> argv = new ArrayList<>(List.of("mcp"));
    argv.addAll(List.of(args));
    server = new Thread(() -> exit[0] = Comms.run(toServer.reader, toClient.writer, err, env, argv.toArray(String[]::new)), "comms-mcp-under-test");
    server.setDaemon(true);
    server.start();
    transport = new StreamClientTransport(toClient.reader, toServer.writer, McpJsonDefaults.getMapper());
    McpClient.SyncSpec spec =
        McpClient.sync(transport)
            .clientInfo(new McpSchema.Implementation("comms-test", "1"))
            .requestTimeout(Duration.ofSeconds(60));
    if (answer != null) {
      spec.capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
          .elicitation(r -> {
            elicited.add(r.message());
            return answer.apply(r);
          });
    }
    client = spec.build();
    client.initialize();
  }

  McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> ok(String tool, Map<String, Object> args) {
    McpSchema.CallToolResult r = call(tool, args);
    if (Boolean.TRUE.equals(r.isError())) {
      throw new AssertionError(tool + " failed: " + r.content() + "\nserver stderr: " + stderr());
    }
    return (Map<String, Object>) r.structuredContent();
  }

  /** Writes {@code line} to the server's stdin as it is, beside the client's own messages. */
  void raw(String line) throws java.io.IOException {
    synchronized (toServer.writer) {
      toServer.writer.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The server's exit code once the client has gone (closing stdin ends it). */
  int exitCode() throws InterruptedException {
    server.join(TimeUnit.SECONDS.toMillis(30));
    return exit[0];
  }

  /** Closes the client, which closes the server's stdin, and waits for the server to finish (its receipt, its store). */
  @Override
  public void close() {
    client.closeGracefully();
    try {
      server.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
