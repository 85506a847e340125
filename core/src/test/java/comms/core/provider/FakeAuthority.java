package comms.core.provider;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A loopback stand-in for the Microsoft identity platform's token endpoint
 * ({@code POST /{tenant}/oauth2/v2.0/token}), which no published API description covers, so Prism
 * cannot mock it. It hands out a bearer token, or refuses the credentials when told to.
 */
public final class FakeAuthority implements AutoCloseable {
  public static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.fake-graph-access-token";

  private final MockWebServer server = new MockWebServer();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private volatile boolean refuse;

  public FakeAuthority() {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.add(request);
            String path = request.getUrl().encodedPath();
            if (!"POST".equals(request.getMethod()) || !path.endsWith("/oauth2/v2.0/token")) {
              return new MockResponse.Builder().code(404).body("{\"error\":\"not_found\"}").build();
            }
            if (refuse) {
              return new MockResponse.Builder()
                  .code(401)
                  .addHeader("Content-Type", "application/json")
                  .body("{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\\r\\nTrace ID: 0\","
                      + "\"error_codes\":[7000215]}")
                  .build();
            }
            return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"" + TOKEN + "\"}")
                .build();
          }
        });
    try {
      server.start();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The authority_url to put in the providers contract. */
  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  public FakeAuthority refuse() {
    refuse = true;
    return this;
  }

  public List<RecordedRequest> requests() {
    return requests;
  }

  @Override
  public void close() {
    server.close();
  }
}
