package comms.core.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What adapters blank out of provider answers before anything is printed or recorded. */
class SecretMaskTest {
  final SecretMask r = new SecretMask(List.of(LiveFixtures.TWILIO_TOKEN));

  @Test
  void configuredSecretsAreBlanked() {
    assertEquals("token *** refused", r.apply("token " + LiveFixtures.TWILIO_TOKEN + " refused"));
  }

  @Test
  void anEchoedAuthorizationHeaderIsBlankedWhateverItHolds() {
    // Twilio's Basic credentials are base64 of two secrets; Graph's Bearer is an access token fetched at run time.
    assertEquals("you sent Authorization: Basic *** to /x", r.apply("you sent Authorization: Basic QUNkZWFkYmVlZjAxMjM0NTY3ODlh== to /x"));
    assertEquals("(you sent bearer ***)", r.apply("(you sent bearer abc.def-ghi_jkl.mno)"));
    assertEquals("token *** expired", r.apply("token eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.sig expired"));
  }

  @Test
  void ordinaryWordsStay() {
    assertEquals("Basic plan; bearer of news; Basic information", r.apply("Basic plan; bearer of news; Basic information"));
  }
}
