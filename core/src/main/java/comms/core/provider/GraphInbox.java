package comms.core.provider;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.json.Json;
import comms.core.reply.Inbox;
import comms.core.reply.InboundMessage;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An owner's inbox through Microsoft Graph's message delta ({@code GET
 * /users/{id}/mailFolders/inbox/messages/delta}, documented REST with OkHttp): the first round
 * names its {@code $select} (internetMessageHeaders are only returned when selected), follows each
 * {@code @odata.nextLink} and keeps the {@code @odata.deltaLink} as the watch's cursor; the next
 * round starts from it and gets only what changed. An expired delta token answers 410
 * (SyncStateNotFound): the round starts again as a full sync filtered to what arrived since the
 * recorded time. Links are opaque: only Graph's host and /v1.0 are swapped for the contract's base URL.
 */
public final class GraphInbox implements Inbox {
  /** What a round selects: the headers (for In-Reply-To, References, Auto-Submitted…), who, what, when, and the text. */
  static final String SELECT = "internetMessageId,internetMessageHeaders,conversationId,from,subject,receivedDateTime,body";

  private static final String GRAPH = "https://graph.microsoft.com/v1.0";
  private static final int MAX_PAGES = 200;

  private final String baseUrl;
  private final Supplier<String> token;
  private final OkHttpClient client;
  private final Map<String, String> extraHeaders = new LinkedHashMap<>();

  /** @param baseUrl the providers contract's Graph base_url (the real one, or a mock's) */
  public GraphInbox(String baseUrl, Supplier<String> token, Duration connectTimeout, Duration readTimeout) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
    this.client = new OkHttpClient.Builder().connectTimeout(connectTimeout).readTimeout(readTimeout).retryOnConnectionFailure(false).build();
  }

  @Override
  public String source() {
    return "microsoft-graph";
  }

  /** A header sent with every request (tests ask Prism for an example with {@code Prefer}). */
  public GraphInbox header(String name, String value) {
    extraHeaders.put(name, value);
    return this;
  }

  @Override
  public Batch read(String owner, String cursor, Instant resyncFrom) {
    String url = cursor != null ? local(cursor) : first(owner, resyncFrom);
    boolean resynced = false;
    List<InboundMessage> out = new ArrayList<>();
    for (int page = 0; page < MAX_PAGES; page++) {
      Page p = get(url);
      if (p.status() == 410 && !resynced) {
        // The delta token expired (Outlook keeps them in a cache of limited size): a full round from the recorded time.
        resynced = true;
        out.clear();
        url = first(owner, resyncFrom);
        continue;
      }
      if (p.status() < 200 || p.status() > 299) {
        throw new CommsException(ExitCode.PROVIDER, "Microsoft Graph answered the inbox delta of " + owner + " with HTTP " + p.status() + p.error());
      }
      Object value = p.body().get("value");
      if (value instanceof List<?> items) {
        for (Object o : items) {
          if (o instanceof Map<?, ?> m && !m.containsKey("@removed")) {
            out.add(message(owner, m));
          }
        }
      }
      if (p.body().get("@odata.deltaLink") instanceof String delta) {
        return new Batch(out, delta, resynced);
      }
      if (!(p.body().get("@odata.nextLink") instanceof String next)) {
        throw new CommsException(ExitCode.PROVIDER, "Microsoft Graph's inbox delta of " + owner + " ended with neither @odata.nextLink nor @odata.deltaLink");
      }
      url = local(next);
    }
    throw new CommsException(ExitCode.PROVIDER, "Microsoft Graph's inbox delta of " + owner + " did not end within " + MAX_PAGES + " pages");
  }

  private String first(String owner, Instant resyncFrom) {
    String u = baseUrl + "/users/" + enc(Recipients.normalize(owner)) + "/mailFolders/inbox/messages/delta?$select=" + enc(SELECT);
    if (resyncFrom != null) {
      u += "&$filter=" + enc("receivedDateTime ge " + DateTimeFormatter.ISO_INSTANT.format(resyncFrom.truncatedTo(ChronoUnit.SECONDS)));
    }
    return u;
  }

  /** A link as Graph wrote it, pointed at the configured base URL (a mock's links name graph.microsoft.com). */
  String local(String link) {
    return link.startsWith(GRAPH) ? baseUrl + link.substring(GRAPH.length()) : link;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private record Page(int status, Map<String, Object> body, String error) {}

  private Page get(String url) {
    Request.Builder r = new Request.Builder().url(url).header("Authorization", "Bearer " + token.get()).header("Accept", "application/json")
        .header("Prefer", "odata.maxpagesize=50" + (extraHeaders.containsKey("Prefer") ? ", " + extraHeaders.get("Prefer") : ""));
    extraHeaders.forEach((k, v) -> {
      if (!k.equals("Prefer")) {
        r.header(k, v);
      }
    });
    try (Response answer = client.newCall(r.build()).execute()) {
      String text = answer.body() == null ? "" : answer.body().string();
      Map<String, Object> body;
      try {
        body = text.isBlank() ? Map.of() : Json.parseObject(text);
      } catch (RuntimeException notJson) {
        body = Map.of();
      }
      String error = "";
      if (body.get("error") instanceof Map<?, ?> e) {
        error = " " + e.get("code") + (e.get("message") == null ? "" : ": " + e.get("message"));
      }
      return new Page(answer.code(), body, error);
    } catch (IOException e) {
      throw new CommsException(ExitCode.PROVIDER, "Microsoft Graph could not be reached for the inbox delta (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** A Graph message (delta item) as replies.sync reads it: its internet headers, sender, subject, text, time. */
  static InboundMessage message(String owner, Map<?, ?> m) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (m.get("internetMessageHeaders") instanceof List<?> hs) {
      for (Object h : hs) {
        if (h instanceof Map<?, ?> x && x.get("name") instanceof String n) {
          headers.computeIfAbsent(n, k -> new ArrayList<>()).add(x.get("value") == null ? "" : String.valueOf(x.get("value")));
        }
      }
    }
    String from = null;
    if (m.get("from") instanceof Map<?, ?> f && f.get("emailAddress") instanceof Map<?, ?> ea && ea.get("address") instanceof String a) {
      from = Recipients.normalize(a);
    }
    String text = "";
    if (m.get("body") instanceof Map<?, ?> b && b.get("content") instanceof String c) {
      text = "html".equalsIgnoreCase(String.valueOf(b.get("contentType"))) ? c.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]+>", " ") : c;
    }
    Instant at = m.get("receivedDateTime") instanceof String t ? Instant.parse(t) : null;
    return new InboundMessage(String.valueOf(m.get("id")), owner, from, m.get("subject") == null ? "" : String.valueOf(m.get("subject")), headers, text, at, null);
  }
}
