package comms.core.mail;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.StackContract;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Searches the simulated mailbox catalog: {@code *} matches everything; {@code from:x} and
 * {@code subject:x} match one field; anything else matches subject, sender or body, ignoring case.
 */
public final class MailboxSearch {
  private MailboxSearch() {}

  /** A message found, as the live Graph search would show it. */
  public record Hit(String mailbox, String id, String from, String subject, String receivedAt) {}

  public static List<Hit> search(List<StackContract.CatalogMessage> messages, String mailbox, String query, int top) {
    if (top < 1) {
      throw new CommsException(ExitCode.USAGE, "--top must be at least 1");
    }
    Query q = Query.parse(query);
    List<Hit> hits = new ArrayList<>();
    for (StackContract.CatalogMessage m : messages) {
      if (mailbox != null && !m.mailbox().equalsIgnoreCase(mailbox)) {
        continue;
      }
      if (q.matches(m)) {
        hits.add(new Hit(m.mailbox(), m.id(), m.from(), m.subject(), m.receivedAt()));
      }
    }
    hits.sort(Comparator.comparing(Hit::receivedAt).reversed());
    return List.copyOf(hits.subList(0, Math.min(top, hits.size())));
  }

  /** A parsed query: a field (or any) and the lower-cased text to find. */
  record Query(String field, String text) {
    static Query parse(String raw) {
      String q = raw == null ? "" : raw.trim();
      if (q.isEmpty()) {
        throw new CommsException(ExitCode.USAGE, "--query is empty; use \"*\" to list everything");
      }
      if (q.equals("*")) {
        return new Query("*", "");
      }
      String lower = q.toLowerCase(Locale.ROOT);
      for (String f : new String[] {"from:", "subject:"}) {
        if (lower.startsWith(f)) {
          return new Query(f.substring(0, f.length() - 1), unquote(lower.substring(f.length()).trim()));
        }
      }
      return new Query("any", unquote(lower));
    }

    private static String unquote(String s) {
      return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    boolean matches(StackContract.CatalogMessage m) {
      return switch (field) {
        case "*" -> true;
        case "from" -> has(m.from());
        case "subject" -> has(m.subject());
        default -> has(m.subject()) || has(m.from()) || has(m.body());
      };
    }

    private boolean has(String s) {
      return s != null && s.toLowerCase(Locale.ROOT).contains(text);
    }
  }
}
