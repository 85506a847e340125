package comms.core.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.consent.InboundKeyword.Action;
import comms.core.contract.Bindings;
import comms.core.contract.PolicyContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Opt-outs in any reasonable wording (FCC 24-24), read with the sample policy's keywords and phrases. */
class InboundKeywordTest {
  static final PolicyContract.Keywords K =
      Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize()).policy().keywords();

  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          # message                                  | action    | keyword
          STOP                                       | opt_out   | STOP
          stop                                       | opt_out   | STOP
          ~  Stop  ~                                 | opt_out   | STOP
          Stop.                                      | opt_out   | STOP
          ~"STOP!"~                                  | opt_out   | STOP
          ¡stop!                                     | opt_out   | STOP
          (stop)                                     | opt_out   | STOP
          STOP 🛑                                    | opt_out   | STOP
          ｓｔｏｐ                                    | opt_out   | STOP
          ＳＴＯＰ！                                  | opt_out   | STOP
          ST\u200BOP                                 | opt_out   | STOP
          stopall                                    | opt_out   | STOPALL
          Unsubscribe                                | opt_out   | UNSUBSCRIBE
          cancel                                     | opt_out   | CANCEL
          END                                        | opt_out   | END
          quit.                                      | opt_out   | QUIT
          Revoke                                     | opt_out   | REVOKE
          OptOut                                     | opt_out   | OPTOUT
          STOP STOP STOP                             | opt_out   | STOP
          stop, unsubscribe                          | opt_out   | STOP
          stop texting me                            | opt_out   | STOP TEXTING ME
          Please STOP texting me!!                   | opt_out   | STOP TEXTING ME
          stop texting                               | opt_out   | STOP TEXTING
          please stop, I never signed up             | opt_out   | PLEASE STOP
          unsubscribe me                             | opt_out   | UNSUBSCRIBE ME
          Remove me from this list                   | opt_out   | REMOVE ME
          please stop                                | opt_out   | PLEASE STOP
          stop please                                | opt_out   | STOP PLEASE
          don't text me anymore                      | opt_out   | DONT TEXT ME
          Don’t text me anymore.                     | opt_out   | DONT TEXT ME
          do not text me again                       | opt_out   | DO NOT TEXT ME
          opt-out                                    | opt_out   | OPT OUT
          Opt me out please                          | opt_out   | OPT ME OUT
          take me off your list                      | opt_out   | TAKE ME OFF
          wrong number                               | opt_out   | WRONG NUMBER
          START                                      | opt_in    | START
          yes                                        | opt_in    | YES
          Yes!                                       | opt_in    | YES
          unstop                                     | opt_in    | UNSTOP
          HELP                                       | help      | HELP
          help?                                      | help      | HELP
          info                                       | help      | INFO
          can I stop by tomorrow?                    | ambiguous | STOP
          please stop by tomorrow                    | ambiguous | STOP
          don't stop                                 | ambiguous | STOP
          how do I unsubscribe?                      | ambiguous | UNSUBSCRIBE
          I want to cancel my order                  | ambiguous | CANCEL
          see you at the end of the week             | ambiguous | END
          STOP START                                 | ambiguous | STOP
          thanks, see you Friday                     | none      |
          yes I'll be there                          | none      |
          help me find my order                      | none      |
          stopwatch                                  | none      |
          ~~                                         | none      |
          ~   ~                                      | none      |
          🛑                                          | none      |
          """)
  void classifies(String message, Action action, String keyword) {
    String text = message == null ? "" : message.translateEscapes();
    assertEquals(InboundKeyword.words(text).size(), InboundKeyword.clauseEnds(text).size(), text);
    InboundKeyword k = InboundKeyword.classify(text, K);
    assertEquals(action, k.action(), () -> "'" + text + "' -> " + k);
    assertEquals(keyword, k.keyword(), () -> "'" + text + "' -> " + k);
  }

  @Test
  void theSamplePolicyHasTwiliosDefaultKeywords() {
    assertTrue(K.optOut().containsAll(List.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT")), K.optOut()::toString);
    assertTrue(K.optIn().containsAll(List.of("START", "YES", "UNSTOP")), K.optIn()::toString);
    assertTrue(K.help().containsAll(List.of("HELP", "INFO")), K.help()::toString);
    assertFalse(K.optOutPhrases().isEmpty());
  }

  @Test
  void opposites() {
    InboundKeyword out = InboundKeyword.classify("stop texting me", K);
    assertEquals("opted-out", out.consentState());
    assertEquals(K.optOutReply(), out.reply());
    assertFalse(out.flagged());
    InboundKeyword unsure = InboundKeyword.classify("can I stop by tomorrow?", K);
    assertTrue(unsure.flagged());
    assertNull(unsure.consentState(), "an ambiguous message changes no consent");
    assertNull(unsure.reply(), "and gets no automatic reply");
  }

  @Test
  void phrasesComeFromThePolicyNotTheCode() {
    PolicyContract.Keywords without = new PolicyContract.Keywords(K.optOut(), K.optIn(), K.help(), K.helpText(), K.optOutReply(), K.optInReply(), List.of());
    assertEquals(Action.ambiguous, InboundKeyword.classify("stop texting me", without).action());
    PolicyContract.Keywords more =
        new PolicyContract.Keywords(K.optOut(), K.optIn(), K.help(), K.helpText(), K.optOutReply(), K.optInReply(), List.of("Never again!"));
    assertEquals(Action.opt_out, InboundKeyword.classify("never AGAIN, thanks", more).action());
  }
}
