package comms.core.provider;

import comms.core.Recipients;
import comms.core.contract.ProvidersContract;
import comms.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The Gmail API v1 as documented (REST through OkHttp, under {@code /gmail/v1/users/{userId}}):
 * messages.send, watch, history.list, messages.get and messages.list, each as the mailbox's user
 * with a bearer token from {@link GoogleTokens}. Every call goes through the shared
 * {@link RetryPolicy}: 429, a 403 whose reason is {@code rateLimitExceeded} or
 * {@code userRateLimitExceeded}, 5xx and no answer are tried again (Retry-After honoured); any other
 * 4xx fails at once with Google's {@code error.message}. A send whose answer was lost is never tried again.
 */
public final class GmailApi {
  /** The 403 reasons Google gives for quota, which back off like a 429. */
  static final List<String> RATE_REASONS = List.of("rateLimitExceeded", "userRateLimitExceeded");

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final String name;
  private final HttpUrl base;
  private final GoogleTokens tokens;
  private final RetryPolicy retry;
  private final OkHttpExchanges exchanges;
  private final OkHttpClient http;

  /** A 404 on a call (a history id too old, a message gone): the caller decides what that means. */
  public static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }

  public GmailApi(ProvidersContract.Provider p, GoogleTokens tokens, RetryPolicy retry, HttpTrace trace) {
    this.name = p.name();
    this.base = HttpUrl.get(p.baseUrl() + "/gmail/v1/users/");
    this.tokens = tokens;
    this.retry = retry;
    this.exchanges = new OkHttpExchanges(trace == null ? HttpTrace.NONE : trace);
    this.http = OkHttpExchanges.client(new OkHttpClient.Builder(), p.connectTimeoutMs(), p.readTimeoutMs(), exchanges).build();
  }

  public String name() {
    return name;
  }

  /** A header sent with every request (tests ask Prism for an example with {@code Prefer}). */
  public GmailApi header(String name, String value) {
    exchanges.extraHeaders.put(name, value);
    return this;
  }

  /** What messages.send answered: Gmail's message id and thread id, and the attempts it took. */
  public record Sent(String id, String threadId, int attempts) {}

  /**
   * {@code POST users/{user}/messages/send} with the RFC 5322 message {@code rfc5322} as base64url
   * {@code raw}, in {@code threadId}'s thread when given.
   */
  public Sent send(String user, byte[] rfc5322, String threadId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("raw", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(rfc5322));
    if (threadId != null) {
      body.put("threadId", threadId);
    }
    String what = "gmail messages.send as " + user;
    return retry.run(name, n -> {
      Map<String, Object> o = call(what, user, n, url(user, "messages/send").build(), Json.write(body), true);
      if (!(o.get("id") instanceof String id)) {
        throw new ProviderException(ProviderException.FAILED, "bad_response", what + ": Gmail answered without a message id", n);
      }
      return new Sent(id, o.get("threadId") instanceof String t ? t : null, n);
    });
  }

  /** What users.watch answered: the mailbox's current historyId and the watch's expiration (epoch ms). */
  public record Watch(String historyId, long expirationMs) {}

  /** {@code POST users/{user}/watch} on the inbox, publishing to {@code topic}. */
  public Watch watch(String user, String topic) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topicName", topic);
    body.put("labelIds", List.of("INBOX"));
    body.put("labelFilterBehavior", "include");
    String what = "gmail users.watch of " + user;
    return retry.run(name, n -> {
      Map<String, Object> o = call(what, user, n, url(user, "watch").build(), Json.write(body), false);
      String history = text(o.get("historyId"));
      String expiration = text(o.get("expiration"));
      if (history == null || expiration == null || !expiration.matches("\\d{1,16}")) {
        throw new ProviderException(ProviderException.FAILED, "bad_response", what + ": Gmail answered without historyId and expiration", n);
      }
      return new Watch(history, Long.parseLong(expiration));
    });
  }

  /** One page of history: the ids of the messages added, the next page token, the mailbox's historyId. */
  public record HistoryPage(List<String> added, String nextPageToken, String historyId) {}

  /** {@code GET users/{user}/history?startHistoryId=…&historyTypes=messageAdded&labelId=INBOX}; {@link NotFound} when the id is too old. */
  public HistoryPage history(String user, String startHistoryId, String pageToken) {
    HttpUrl.Builder u = url(user, "history").addQueryParameter("startHistoryId", startHistoryId).addQueryParameter("historyTypes", "messageAdded")
        .addQueryParameter("labelId", "INBOX").addQueryParameter("maxResults", "500");
    if (pageToken != null) {
      u.addQueryParameter("pageToken", pageToken);
    }
    HttpUrl url = u.build();
    String what = "gmail users.history.list of " + user;
    return retry.run(name, n -> {
      Map<String, Object> o = call(what, user, n, url, null, false);
      List<String> ids = new ArrayList<>();
      if (o.get("history") instanceof List<?> hs) {
        for (Object h : hs) {
          if (h instanceof Map<?, ?> hm && hm.get("messagesAdded") instanceof List<?> added) {
            for (Object a : added) {
              if (a instanceof Map<?, ?> am && am.get("message") instanceof Map<?, ?> msg && msg.get("id") instanceof String id && !ids.contains(id)) {
                ids.add(id);
              }
            }
          }
        }
      }
      return new HistoryPage(ids, text(o.get("nextPageToken")), text(o.get("historyId")));
    });
  }

  /** The headers replies.sync reads from a message (format=metadata). */
  public static final List<String> METADATA_HEADERS =
      List.of("Message-ID", "In-Reply-To", "References", "From", "To", "Subject", "Date", "Auto-Submitted", "X-Autoreply", "X-Autorespond",
          "Precedence", "List-Id", "List-Unsubscribe", "Content-Type", "Return-Path");

  /** {@code GET users/{user}/messages/{id}?format=metadata&metadataHeaders=…}: the message as JSON. */
  public Map<String, Object> metadata(String user, String id) {
    HttpUrl.Builder u = url(user, "messages").addPathSegment(id).addQueryParameter("format", "metadata");
    METADATA_HEADERS.forEach(h -> u.addQueryParameter("metadataHeaders", h));
    HttpUrl url = u.build();
    return retry.run(name, n -> call("gmail users.messages.get of " + user, user, n, url, null, false));
  }

  /** One page of messages.list: the message ids and the next page token. */
  public record ListPage(List<String> ids, String nextPageToken) {}

  /** {@code GET users/{user}/messages?q=…&maxResults=…}. */
  public ListPage list(String user, String query, int maxResults, String pageToken) {
    HttpUrl.Builder u = url(user, "messages").addQueryParameter("q", query).addQueryParameter("maxResults", String.valueOf(maxResults));
    if (pageToken != null) {
      u.addQueryParameter("pageToken", pageToken);
    }
    HttpUrl url = u.build();
    return retry.run(name, n -> {
      Map<String, Object> o = call("gmail users.messages.list of " + user, user, n, url, null, false);
      List<String> ids = new ArrayList<>();
      if (o.get("messages") instanceof List<?> ms) {
        for (Object m : ms) {
          if (m instanceof Map<?, ?> mm && mm.get("id") instanceof String id) {
            ids.add(id);
          }
        }
      }
      return new ListPage(ids, text(o.get("nextPageToken")));
    });
  }

  private HttpUrl.Builder url(String user, String path) {
    HttpUrl.Builder b = base.newBuilder().addPathSegment(Recipients.normalize(user));
    for (String seg : path.split("/")) {
      b.addPathSegment(seg);
    }
    return b;
  }

  static String text(Object o) {
    return o == null ? null : o instanceof Number num ? String.valueOf(num.longValue()) : String.valueOf(o);
  }

  /** One exchange: the JSON object answered, or the verdict (retry, fail, not found). */
  private Map<String, Object> call(String what, String user, int n, HttpUrl url, String json, boolean isSend) {
    String token = tokens.accessToken(user, n);
    Request.Builder r = new Request.Builder().url(url).header("Authorization", "Bearer " + token).header("Accept", "application/json");
    if (json != null) {
      r.post(RequestBody.create(json, JSON));
    }
    exchanges.forget();
    try (Response answer = http.newCall(r.build()).execute()) {
      answer.body().string();
    } catch (IOException e) {
      Answer none = Answer.none(e);
      if (isSend && !none.neverSent()) {
        // messages.send has no idempotency key: once the request went out, asking again could send the message twice.
        throw new ProviderException(
            ProviderException.FAILED,
            "no_response",
            what + ": no answer from Gmail (" + Answer.reason(e) + ") after the request was sent; the message may have been sent, so it was not"
                + " retried: check the Sent folder of " + user + " before sending again",
            n,
            true);
      }
      return fail(what, none, n);
    }
    Answer a = exchanges.last();
    if (a.success()) {
      Map<String, Object> o = a.object();
      if (o == null) {
        if (a.body().isBlank()) {
          return Map.of();
        }
        throw new ProviderException(ProviderException.FAILED, "not_json", what + ": Gmail answered HTTP " + a.status() + " with " + a.bodyKind()
            + "; check that base_url points at the Gmail API", n);
      }
      return o;
    }
    return fail(what, a, n);
  }

  /** Google's error shape: {"error": {"code", "message", "status", "errors": [{"reason", "domain", "message"}]}}. */
  private Map<String, Object> fail(String what, Answer a, int n) {
    Map<String, Object> o = a.object();
    String message = null;
    String status = null;
    List<String> reasons = new ArrayList<>();
    if (o != null && o.get("error") instanceof Map<?, ?> err) {
      message = err.get("message") instanceof String m ? m : null;
      status = err.get("status") instanceof String s ? s : null;
      if (err.get("errors") instanceof List<?> es) {
        for (Object e : es) {
          if (e instanceof Map<?, ?> em && em.get("reason") instanceof String reason) {
            reasons.add(reason);
          }
        }
      }
    }
    String code = !reasons.isEmpty() ? reasons.get(0) : status;
    if (a.answered() && a.status() == 403 && reasons.stream().anyMatch(RATE_REASONS::contains)) {
      throw new RetryPolicy.Retryable("403 " + code, code, what + ": Gmail answered HTTP 403, " + code + (message == null ? "" : ": " + message), a.retryAfter());
    }
    if (a.answered() && a.status() == 404) {
      throw new NotFound(what + ": Gmail answered HTTP 404" + (message == null ? "" : ": " + message));
    }
    if (a.answered() && a.status() == 401) {
      throw new ProviderException(ProviderException.FAILED, code == null ? "401" : code,
          what + ": Gmail refused the access token (HTTP 401" + (message == null ? "" : ": " + message) + ")", n);
    }
    throw a.verdict(what, "Gmail", n, code, message);
  }
}
