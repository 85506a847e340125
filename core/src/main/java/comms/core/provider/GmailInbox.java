package comms.core.provider;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Recipients;
import comms.core.reply.Inbox;
import comms.core.reply.InboundMessage;
import comms.core.store.GmailWatchStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Gmail owner's inbox as replies.sync reads it: {@code users.history.list} from the cursor (the
 * historyId the last round ended at, else the one users.watch answered) with
 * {@code historyTypes=messageAdded}, then {@code users.messages.get} with {@code format=metadata}
 * and the headers the classifier needs. The round ends at the history's new historyId. A stale
 * history id answers 404: the round resyncs by a bounded {@code users.messages.list} of the inbox
 * since the recorded time (at most {@link #RESYNC_LIMIT} messages) and says so. An applied sync
 * first sets up or renews the owner's watch when it is missing or due ({@link GmailWatches}).
 */
public final class GmailInbox implements Inbox {
  /** At most this many messages in a resync after a 404. */
  public static final int RESYNC_LIMIT = 500;
  private static final int MAX_PAGES = 50;

  private final GmailApi api;
  private final GmailWatches watches;
  private final GmailWatchStore store;
  private final Clock clock;

  public GmailInbox(GmailApi api, GmailWatches watches, GmailWatchStore store, Clock clock) {
    this.api = api;
    this.watches = watches;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public String source() {
    return "gmail";
  }

  @Override
  public void prepare(String owner) {
    try {
      watches.renewIfDue(owner);
    } catch (ProviderException e) {
      throw new CommsException(ExitCode.PROVIDER, e.getMessage());
    }
  }

  @Override
  public Batch read(String owner, String cursor, Instant resyncFrom) {
    String user = Recipients.normalize(owner);
    try {
      GmailWatchStore.GmailWatch w = store.watch(user).orElse(null);
      if (w == null) {
        throw new CommsException(ExitCode.PROVIDER, user + " has no Gmail watch yet, so there is no history to read from; run comms replies.watch --owner " + user
            + " (an applied replies.sync sets it up too)");
      }
      String start = cursor != null && cursor.matches("\\d+") ? cursor : w.historyId();
      try {
        return fromHistory(user, start);
      } catch (GmailApi.NotFound stale) {
        return resync(user, resyncFrom != null ? resyncFrom : w.watchedAt(), w);
      }
    } catch (ProviderException e) {
      throw new CommsException(ExitCode.PROVIDER, e.getMessage());
    } catch (GmailApi.NotFound e) {
      throw new CommsException(ExitCode.PROVIDER, e.getMessage());
    }
  }

  private Batch fromHistory(String user, String start) {
    List<String> ids = new ArrayList<>();
    String token = null;
    String last = start;
    for (int page = 0; page < MAX_PAGES; page++) {
      GmailApi.HistoryPage p = api.history(user, start, token);
      p.added().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
      if (p.historyId() != null) {
        last = p.historyId();
      }
      if (p.nextPageToken() == null) {
        return new Batch(messages(user, ids), last, false);
      }
      token = p.nextPageToken();
    }
    throw new CommsException(ExitCode.PROVIDER, "Gmail's history of " + user + " did not end within " + MAX_PAGES + " pages");
  }

  /** After a 404: the inbox since {@code from} by messages.list, bounded; the round then starts from a fresh watch's historyId. */
  private Batch resync(String user, Instant from, GmailWatchStore.GmailWatch w) {
    long after = (from == null ? clock.instant().minus(Duration.ofDays(7)) : from).getEpochSecond();
    List<String> ids = new ArrayList<>();
    String token = null;
    while (ids.size() < RESYNC_LIMIT) {
      GmailApi.ListPage p = api.list(user, "in:inbox after:" + after, Math.min(100, RESYNC_LIMIT - ids.size()), token);
      p.ids().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
      if (p.nextPageToken() == null || p.ids().isEmpty()) {
        break;
      }
      token = p.nextPageToken();
    }
    // History from here on starts at the mailbox's current historyId: a fresh watch answers it.
    GmailWatchStore.GmailWatch renewed = watches.renew(user);
    return new Batch(messages(user, ids.subList(0, Math.min(ids.size(), RESYNC_LIMIT))), renewed.historyId(), true);
  }

  private List<InboundMessage> messages(String user, List<String> ids) {
    List<InboundMessage> out = new ArrayList<>();
    for (String id : ids) {
      Map<String, Object> m;
      try {
        m = api.metadata(user, id);
      } catch (GmailApi.NotFound gone) {
        continue; // deleted between the history and now
      }
      if (m.get("labelIds") instanceof List<?> labels && !labels.contains("INBOX")) {
        continue; // our own sent copies and drafts are in the history too
      }
      out.add(message(user, m));
    }
    return out;
  }

  /** A Gmail message (format=metadata) as replies.sync reads it: its headers, sender, subject, snippet as text, time. */
  static InboundMessage message(String owner, Map<?, ?> m) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    if (m.get("payload") instanceof Map<?, ?> p && p.get("headers") instanceof List<?> hs) {
      for (Object h : hs) {
        if (h instanceof Map<?, ?> x && x.get("name") instanceof String n) {
          headers.computeIfAbsent(n, k -> new ArrayList<>()).add(x.get("value") == null ? "" : String.valueOf(x.get("value")));
        }
      }
    }
    InboundMessage probe = new InboundMessage("", owner, null, "", headers, "", null, null);
    String from = probe.header("From").map(GmailMailbox::address).orElse(null);
    String subject = probe.header("Subject").orElse("");
    Instant at = null;
    String internal = GmailApi.text(m.get("internalDate"));
    if (internal != null && internal.matches("\\d{1,16}")) {
      at = Instant.ofEpochMilli(Long.parseLong(internal));
    }
    // format=metadata has no body; Gmail's snippet is the start of the text, where an out-of-office names its return date.
    String text = m.get("snippet") instanceof String s ? s : "";
    return new InboundMessage(String.valueOf(m.get("id")), owner, from, subject, headers, text, at, null);
  }
}
