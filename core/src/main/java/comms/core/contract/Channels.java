package comms.core.contract;

import java.util.List;

/** The channels comms knows: transactional SMS and email, and pilot mailbox mail. */
public final class Channels {
  public static final String SMS = "sms";
  public static final String EMAIL = "email";
  public static final String MAILBOX = "mailbox";
  public static final List<String> ALL = List.of(SMS, EMAIL, MAILBOX);
  /** Channels a transactional send may use. */
  public static final List<String> SENDABLE = List.of(SMS, EMAIL);

  private Channels() {}
}
