package comms.core.consent;

import comms.core.contract.PolicyContract;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an inbound SMS asks for. Consent may be revoked "by any reasonable means" (FCC 24-24), so the
 * text is read as words, not bytes: Unicode compatibility forms folded (NFKC), case, surrounding and
 * inner punctuation, symbols and emoji ignored, apostrophes dropped ({@code don't} is {@code DONT}).
 * Then: the whole message is an opt-out, opt-in or help keyword of the policy (or only opt-out
 * keywords); else it contains one of the policy's opt-out phrases ("stop texting me") and is an
 * opt-out (a phrase that ends in an opt-out keyword, "please stop", only where its clause ends too, so
 * "please stop by tomorrow" is not one); else it contains an opt-out keyword among other words ("can I stop by tomorrow?") and is
 * {@code ambiguous}, to be flagged for a person rather than ignored or taken as an opt-out; else it is
 * ordinary text.
 */
public record InboundKeyword(String keyword, Action action, String reply) {
  /** What the message does. */
  public enum Action {
    opt_out,
    opt_in,
    help,
    /** Contains an opt-out word but does not clearly ask to stop: recorded and flagged for review. */
    ambiguous,
    none
  }

  /** The consent state an opt-out or opt-in records; null for help, ambiguous and none. */
  public String consentState() {
    return switch (action) {
      case opt_out -> "opted-out";
      case opt_in -> "opted-in";
      default -> null;
    };
  }

  /** True when a person must look at the message: it might revoke consent but does not clearly say so. */
  public boolean flagged() {
    return action == Action.ambiguous;
  }

  public static InboundKeyword classify(String body, PolicyContract.Keywords k) {
    List<String> words = words(body);
    if (words.isEmpty()) {
      return none();
    }
    String whole = String.join(" ", words);
    if (matchesAny(whole, k.optOut())) {
      return new InboundKeyword(whole, Action.opt_out, k.optOutReply());
    }
    if (matchesAny(whole, k.optIn())) {
      return new InboundKeyword(whole, Action.opt_in, k.optInReply());
    }
    if (matchesAny(whole, k.help())) {
      return new InboundKeyword(whole, Action.help, k.helpText());
    }
    if (words.stream().allMatch(w -> matchesAny(w, k.optOut()))) {
      // "STOP STOP", "stop, unsubscribe": nothing but opt-out keywords.
      return new InboundKeyword(words.get(0), Action.opt_out, k.optOutReply());
    }
    List<Boolean> ends = clauseEnds(body);
    for (String phrase : k.optOutPhrases()) {
      List<String> p = words(phrase);
      if (p.isEmpty()) {
        continue;
      }
      // "please stop" asks to stop only where the clause ends there: "please stop by tomorrow" does not.
      boolean mustEnd = matchesAny(p.get(p.size() - 1), k.optOut());
      if (contains(words, ends, p, mustEnd)) {
        return new InboundKeyword(String.join(" ", p), Action.opt_out, k.optOutReply());
      }
    }
    for (String w : words) {
      if (matchesAny(w, k.optOut())) {
        return new InboundKeyword(w, Action.ambiguous, null);
      }
    }
    return none();
  }

  private static InboundKeyword none() {
    return new InboundKeyword(null, Action.none, null);
  }

  /**
   * The words of a text as matching sees them, upper-case: runs of letters and digits after NFKC,
   * split at anything else (spaces, punctuation, symbols, emoji), with apostrophes and invisible
   * formatting characters (zero-width space, soft hyphen) dropped so they join what they sit in.
   */
  public static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String t = Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < t.length(); ) {
      int c = t.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK) {
        w.appendCodePoint(c);
      } else if (joins(c)) {
        // don't, don’t and a hidden U+200B inside STOP join their halves
      } else if (w.length() > 0) {
        out.add(w.toString().toUpperCase(Locale.ROOT));
        w.setLength(0);
      }
    }
    if (w.length() > 0) {
      out.add(w.toString().toUpperCase(Locale.ROOT));
    }
    return out;
  }

  private static boolean matchesAny(String words, List<String> keywords) {
    for (String k : keywords) {
      if (words.equals(String.join(" ", words(k)))) {
        return true;
      }
    }
    return false;
  }

  /**
   * For each word of {@link #words}, whether its clause ends after it: it is the last word, or
   * punctuation or a symbol (not just spaces) stands between it and the next.
   */
  static List<Boolean> clauseEnds(String text) {
    List<Boolean> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    String t = Normalizer.normalize(text, Normalizer.Form.NFKC);
    boolean inWord = false;
    boolean mark = false;
    for (int i = 0; i < t.length(); ) {
      int c = t.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK || joins(c)) {
        if (!inWord && joins(c)) {
          continue;
        }
        if (!inWord && !out.isEmpty()) {
          out.set(out.size() - 1, mark);
        }
        if (!inWord) {
          out.add(true);
          mark = false;
        }
        inWord = true;
      } else {
        inWord = false;
        mark |= !Character.isWhitespace(c) && !Character.isSpaceChar(c);
      }
    }
    return out;
  }

  private static boolean joins(int c) {
    return c == '\'' || c == '\u2019' || c == '\u02BC' || c == '`' || Character.getType(c) == Character.FORMAT;
  }

  private static boolean contains(List<String> words, List<Boolean> ends, List<String> phrase, boolean mustEnd) {
    outer:
    for (int i = 0; i + phrase.size() <= words.size(); i++) {
      for (int j = 0; j < phrase.size(); j++) {
        if (!words.get(i + j).equals(phrase.get(j))) {
          continue outer;
        }
      }
      if (mustEnd && !ends.get(i + phrase.size() - 1)) {
        continue;
      }
      return true;
    }
    return false;
  }
}
