package comms.core.provider;

/** A transactional channel provider (Twilio for SMS, Resend for email, or the simulation of either). */
public interface Provider {
  /** The provider's name in the providers contract. */
  String name();

  /** Hands one message over; returns when the provider accepted it, throws when it did not. */
  DispatchResult send(Dispatch dispatch);
}
