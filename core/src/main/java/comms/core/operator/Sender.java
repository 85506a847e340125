package comms.core.operator;

import comms.core.contract.Channels;
import comms.core.contract.OperatorsContract;
import comms.core.store.Roster;

/** Who an email is From: the acting operator where the operators contract's email_from allows it, else the provider's own address. */
public final class Sender {
  private Sender() {}

  /**
   * "Name <address>" of the operator for email through {@code provider}, or null to keep the
   * provider's from. Email through the operator's own mailbox (a gmail provider) is always From them.
   */
  public static String emailFrom(OperatorsContract contract, String provider, String channel, Roster.Operator operator) {
    if (!Channels.EMAIL.equals(channel)) {
      return null;
    }
    boolean own = ownMailbox(contract, operator.email()).filter(provider::equals).isPresent();
    if (!own && !contract.emailFrom().allows(provider, operator.email())) {
      return null;
    }
    return mailbox(operator.displayName(), operator.email());
  }

  /** The provider of the operator's own mailbox (a gmail provider), when the operators contract gives them one. */
  public static java.util.Optional<String> ownMailbox(OperatorsContract contract, String operator) {
    return contract.mailbox(operator).map(OperatorsContract.Mailbox::provider);
  }

  /** An RFC 5322 mailbox, quoting the display name when it holds characters that would break the header. */
  static String mailbox(String name, String address) {
    // A display name stored before names were checked may hold any control character: none reaches a header.
    String n = name.codePoints().map(c -> comms.core.send.ControlCharacters.forbiddenInHeader(c) ? ' ' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
    if (n.isEmpty()) {
      return address;
    }
    if (n.chars().anyMatch(c -> "()<>[]:;@\\,.\"".indexOf(c) >= 0)) {
      n = "\"" + n.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    return n + " <" + address + ">";
  }
}
