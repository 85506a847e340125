package comms.core.imessage;

/**
 * How the daemon gets a text to a consented number: iMessage through Messages.app ({@link
 * OsascriptImessage}), or SMS through Twilio ({@link TwilioTransport}) once the Mac is decommissioned.
 * Consent, queue and history stay the same whichever carries the text.
 */
public interface PhoneTransport {
  /** Its name in reports (imessage, twilio-sms). */
  String name();

  /** Sends {@code text} to {@code phone}; returns normally once handed over, throws {@link TransportFailure} when not. */
  void send(String phone, String text);

  /** A text the transport could not hand over, with a short reason the daemon reports as the failure. */
  final class TransportFailure extends RuntimeException {
    public TransportFailure(String message) {
      super(message);
    }
  }
}
