package comms.cli.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The SDK client's side of stdio over two streams instead of a child process: one JSON-RPC message a line, as the stdio transport writes them. */
final class StreamClientTransport implements McpClientTransport {
  private final InputStream in;
  private final OutputStream out;
  private final McpJsonMapper json;
  final java.util.List<String> parseErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

  StreamClientTransport(InputStream in, OutputStream out, McpJsonMapper json) {
    this.in = in;
    this.out = out;
    this.json = json;
  }

  @Override
  public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return Mono.fromRunnable(() -> {
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.contains("\"id\":null")) {
              parseErrors.add(line); // the server's answer to a line that was no message; the SDK has no request to match it to
              continue;
            }
            McpSchema.JSONRPCMessage m = McpSchema.deserializeJsonRpcMessage(json, line);
            handler.apply(Mono.just(m)).subscribeOn(Schedulers.boundedElastic()).subscribe();
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, "mcp-test-client-reader");
      reader.setDaemon(true);
      reader.start();
    });
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.fromRunnable(() -> {
      try {
        byte[] line = (json.writeValueAsString(message).replace("\n", "\\n") + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
          out.write(line);
          out.flush();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(() -> {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return json.convertValue(data, typeRef);
  }
}
