package comms.cli.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.cli.LauncherIT;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bin/comms mcp` as an MCP client starts it (the SDK's own stdio client transport), and the SDK staying off every other command's start. */
public class McpLauncherIT {
  static final Path JAR = LauncherIT.ROOT.resolve("cli").resolve("target").resolve("comms.jar");

  @TempDir Path tmp;

  @Test
  void anMcpClientStartsTheLauncherListsTheToolsAndCallsOne() {
    ServerParameters params =
        ServerParameters.builder(LauncherIT.ROOT.resolve("bin").resolve("comms").toString())
            .args("mcp", "--as", "sam@lakesideprint.com", "--actor", "agent:it")
            .env(Map.of("COMMS_OUTBOX", tmp.resolve("outbox").toString(), "COMMS_BINDINGS", LauncherIT.ROOT.resolve("bindings").toString(), "NO_COLOR", "1"))
            .build();
    McpSyncClient client =
        McpClient.sync(new StdioClientTransport(params, McpJsonDefaults.getMapper())).requestTimeout(Duration.ofSeconds(120))
            .initializationTimeout(Duration.ofSeconds(120)).build();
    try {
      McpSchema.InitializeResult init = client.initialize();
      assertEquals("comms", init.serverInfo().name());
      List<McpSchema.Tool> tools = client.listTools().tools();
      assertTrue(tools.stream().anyMatch(t -> t.name().equals("personalize_add_recipients")), tools::toString);
      McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("list_sequences", Map.of()));
      assertFalse(Boolean.TRUE.equals(r.isError()), r::toString);
      assertEquals(Map.of("sequences", List.of()), r.structuredContent());
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void theSdkLoadsOnlyWhenMcpRuns() throws Exception {
    assertFalse(loaded("policy.status").contains("io.modelcontextprotocol"), "policy.status loaded the MCP SDK");
    assertFalse(loaded("--help").contains("io.modelcontextprotocol"), "--help loaded the MCP SDK");
    String policy = loaded("policy.status");
    assertFalse(policy.contains("com.sun.net.httpserver") || policy.contains("java.net.http."), "policy.status loaded HTTP classes");
    assertFalse(loaded("mcp", "--as", "sam@lakesideprint.com").contains("com.sun.net.httpserver"), "mcp on stdio loaded the HTTP server");
    assertTrue(loaded("mcp", "--as", "sam@lakesideprint.com").contains("io.modelcontextprotocol.server"), "the check itself sees the SDK when mcp runs");
  }

  /** The classes a run of the shaded jar loads (stdin closed at once). */
  String loaded(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("java", "-Xlog:class+load=info", "-cp", JAR.toString(), "comms.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(LauncherIT.ROOT.toFile());
    pb.environment().put("COMMS_OUTBOX", tmp.resolve("outbox").toString());
    pb.environment().put("COMMS_BINDINGS", LauncherIT.ROOT.resolve("bindings").toString());
    Path out = Files.createTempFile(tmp, "classes", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "comms did not finish");
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
