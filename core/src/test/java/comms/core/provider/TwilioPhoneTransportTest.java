package comms.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.imessage.PhoneTransport;
import comms.core.imessage.TwilioTransport;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The v2 transport: the daemon's texts through the Twilio adapter, against Prism's mock of Twilio's API description. */
@Tag("mocks")
@ExtendWith(PrismMocks.class)
class TwilioPhoneTransportTest {
  final LiveFixtures.Recorder rec = new LiveFixtures.Recorder();

  @Test
  void aQueuedTextGoesOutAsOneTwilioMessage() {
    TwilioTransport t = new TwilioTransport(rec.live().provider(LiveFixtures.twilio(PrismMocks.TWILIO, "+13125550142", null)), "+13125550142");
    t.send("im_0123456789abcdef", "+15551234567", "Hi Lee, \"quotes\" and 😀 go as they are. Reply STOP to opt out.");
    assertEquals(List.of(201), rec.statuses());
    assertEquals("/2010-04-01/Accounts/{AccountSid}/Messages.json", rec.exchanges.get(0).path());
    assertEquals("twilio-sms", t.name());
  }

  @Test
  void aRefusedTextIsATransportFailureTheDaemonReports() {
    TwilioSms sms = (TwilioSms) rec.live().provider(LiveFixtures.twilio(PrismMocks.TWILIO_ERRORS, "+13125550142", null));
    sms.header("Prefer", "code=400");
    TwilioTransport t = new TwilioTransport(sms, "+13125550142");
    PhoneTransport.TransportFailure f = assertThrows(PhoneTransport.TransportFailure.class, () -> t.send("im_1", "+15551234567", "hello"));
    assertTrue(f.getMessage().startsWith("twilio"), f.getMessage());
    rec.assertNoSecrets(f.getMessage());
  }
}
