package comms.core.imessage;

import comms.core.provider.Dispatch;
import comms.core.provider.Provider;
import comms.core.provider.ProviderException;
import java.util.Objects;

/**
 * The "v2" transport: the same consented recipients texted by SMS through a Twilio adapter of the
 * providers contract (its own retries, timeouts and error codes) instead of Messages.app. Each text
 * goes under its queue id as idempotency key, from the provider's number.
 */
public final class TwilioTransport implements PhoneTransport {
  private final Provider twilio;
  private final String from;

  public TwilioTransport(Provider twilio, String from) {
    this.twilio = Objects.requireNonNull(twilio);
    this.from = from;
  }

  @Override
  public String name() {
    return "twilio-sms";
  }

  @Override
  public void send(String phone, String text) {
    send(null, phone, text);
  }

  /** Sends under {@code queueId} (the delivery's id on Twilio's side), so a retry is recognisable. */
  public void send(String queueId, String phone, String text) {
    try {
      twilio.send(new Dispatch(queueId == null ? "imessage-v2" : queueId, queueId, "sms", from, phone, null, text, null));
    } catch (ProviderException e) {
      throw new TransportFailure((e.errorCode() == null ? "twilio" : "twilio_" + e.errorCode()) + ": " + e.getMessage());
    }
  }
}
