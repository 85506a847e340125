package comms.cli.commands.send;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Channels;
import comms.core.send.RecipientCheck;

/** Reads a recipient argument: an E.164 number (SMS) or an email address, refused with a reason otherwise. */
public final class Recipient {
  private Recipient() {}

  /** The channel a recipient belongs to: sms for +numbers, email otherwise. */
  public static String channelOf(String to) {
    return to != null && to.strip().startsWith("+") ? Channels.SMS : Channels.EMAIL;
  }

  /** The normalized recipient, or a usage error naming the flag and the problem. */
  public static String check(String flag, String to) {
    RecipientCheck c = RecipientCheck.of(channelOf(to), to, false);
    if (!c.usable()) {
      throw new CommsException(ExitCode.USAGE, flag + " " + to + ": " + c.reason());
    }
    return c.normalized();
  }
}
