package comms.core.snippet;

import comms.core.operator.Identity;
import comms.core.operator.Permissions;
import comms.core.store.SnippetStore.SnippetVersion;
import java.util.Optional;

/**
 * Who may see, change, co-sign and use a snippet: a private snippet is its owner's alone (admins read
 * every snippet), a shared one is readable by every operator; only the owner edits; a shared version is
 * co-signed by a person other than its author; a sequence pins only a version its owner may use.
 */
public final class SnippetAccess {
  private SnippetAccess() {}

  /** Whether {@code who} may read {@code v}. */
  public static boolean visible(Identity who, SnippetVersion v) {
    return who.admin() || v.shared() || v.owner().equals(who.owner());
  }

  /** Why {@code who} may not make a new version of {@code latest}; empty when they may. */
  public static Optional<Permissions.Refusal> edit(Identity who, SnippetVersion latest) {
    if (latest.owner().equals(who.owner())) {
      return Optional.empty();
    }
    return Optional.of(
        new Permissions.Refusal(
            "other_operator", "snippet " + latest.id() + " belongs to " + latest.owner() + "; only its owner edits it (create your own with comms snippet.create)"));
  }

  /** Why {@code who} may not co-sign {@code v}; empty when they may. */
  public static Optional<Permissions.Refusal> cosign(Identity who, SnippetVersion v) {
    if (who.byAgent()) {
      return Optional.of(
          new Permissions.Refusal("agent_cosign", "a co-sign is a person's review; " + who.actor() + " cannot co-sign, " + who.owner() + " must do it themself"));
    }
    if (!v.shared()) {
      return Optional.of(new Permissions.Refusal("private_snippet", v.ref() + " is private to " + v.owner() + "; only shared snippets are co-signed"));
    }
    if (v.author().equals(who.owner())) {
      return Optional.of(
          new Permissions.Refusal(
              "self_cosign", who.owner() + " wrote " + v.ref() + " and cannot co-sign it; a second, different operator must review and co-sign it"));
    }
    if (v.cosignedBy() != null) {
      return Optional.of(new Permissions.Refusal("already_cosigned", v.ref() + " is already co-signed by " + v.cosignedBy() + "; nothing to do"));
    }
    return Optional.empty();
  }

  /**
   * Why a sequence owned by {@code owner} may not pin {@code v} on a {@code medium} stage; empty when
   * it may: a private version of another operator, a shared version nobody co-signed, the wrong channel.
   */
  public static Optional<String> pin(String owner, SnippetVersion v, String medium) {
    if (!v.shared() && !v.owner().equals(owner)) {
      return Optional.of("snippet " + v.ref() + " is private to " + v.owner() + "; a sequence of " + owner + " may use only its owner's or shared, co-signed snippets");
    }
    if (v.shared() && v.cosignedBy() == null) {
      return Optional.of(
          "snippet " + v.ref() + " is shared but not co-signed; a second operator must review it first (comms snippet.cosign " + v.ref()
              + " --execute), then create or edit the sequence again");
    }
    if (!v.channel().equals(medium)) {
      return Optional.of("snippet " + v.ref() + " is an " + v.channel() + " snippet but this stage goes out by " + medium);
    }
    return Optional.empty();
  }
}
