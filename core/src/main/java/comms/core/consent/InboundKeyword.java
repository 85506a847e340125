package comms.core.consent;

import comms.core.contract.PolicyContract;
import java.util.Locale;

/**
 * What an inbound SMS asks for under the carrier keyword rules: the whole message, trimmed and
 * ignoring case, is an opt-out, opt-in or help keyword from the policy, or it is ordinary text.
 */
public record InboundKeyword(String keyword, Action action, String reply) {
  /** What the keyword does. */
  public enum Action {
    opt_out,
    opt_in,
    help,
    none
  }

  /** The consent state an opt-out or opt-in records; null for help and none. */
  public String consentState() {
    return switch (action) {
      case opt_out -> "opted-out";
      case opt_in -> "opted-in";
      default -> null;
    };
  }

  public static InboundKeyword classify(String body, PolicyContract.Keywords k) {
    String word = body == null ? "" : body.strip().toUpperCase(Locale.ROOT);
    if (k.optOut().contains(word)) {
      return new InboundKeyword(word, Action.opt_out, k.optOutReply());
    }
    if (k.optIn().contains(word)) {
      return new InboundKeyword(word, Action.opt_in, k.optInReply());
    }
    if (k.help().contains(word)) {
      return new InboundKeyword(word, Action.help, k.helpText());
    }
    return new InboundKeyword(null, Action.none, null);
  }
}
