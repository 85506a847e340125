package comms.core.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.sequence.ReplyWatch;
import comms.core.sequence.SequenceWorker;
import comms.core.store.SequenceStore.SequenceRow;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a sync of the simulated inbox does to the sequences: replies stop, out-of-office pauses, hard bounces suppress. */
class ReplyStopsSequenceTest extends ReplyFlowTest {
  @Test
  void aHumanReplyStopsStageTwo() {
    SequenceRow seq = launchedAndFirstStageSent("maria@example.com", "tom@example.com");
    advance(Duration.ofHours(5));
    inbound("Maria <maria@example.com>", "Re: Order", messageIdTo("maria@example.com"), "Yes, call me tomorrow.", Map.of());
    ReplySync.OwnerSync r = sync().sync(DANA, true);
    assertTrue(r.ok(), r.toString());
    assertEquals(1, r.effects().size());
    ReplySync.Effect e = r.effects().get(0);
    assertEquals("human_reply", e.kind());
    assertEquals("in_reply_to", e.matchReason());
    assertEquals("replied", e.action());
    assertEquals(1, e.enrollments());
    assertEquals("replied", enrollment(seq, "maria@example.com").state());
    assertEquals("replied:in_reply_to", enrollment(seq, "maria@example.com").reason());
    advance(Duration.ofDays(3));
    SequenceWorker.Summary s = worker(ReplyWatch.NONE).pass(100);
    assertEquals(1, s.sent(), "stage 2 went to tom only");
    assertEquals(0, log().stream().filter(l -> l.to().equals("maria@example.com") && Integer.valueOf(2).equals(l.stage())).count(), "no stage 2 to maria");
    // A second sync reads nothing new and changes nothing.
    assertEquals(0, sync().sync(DANA, true).effects().size());
  }

  @Test
  void aReplyWithoutThreadingHeadersIsMatchedByAddressAndSubjectAndSaysSo() {
    SequenceRow seq = launchedAndFirstStageSent("maria@example.com");
    inbound("maria@example.com", "RE: " + firstSubject(), null, "Sorry, my phone dropped the thread: yes please.", Map.of());
    ReplySync.Effect e = sync().sync(DANA, true).effects().get(0);
    assertEquals("same_conversation", e.matchReason());
    assertEquals("replied:same_conversation", enrollment(seq, "maria@example.com").reason());
  }

  @Test
  void aReplyToAnotherSubjectFromAnUnknownAddressIsRecordedUnmatched() {
    SequenceRow seq = launchedAndFirstStageSent("maria@example.com");
    inbound("stranger@example.net", "Hello", null, "Do you print banners?", Map.of());
    ReplySync.Effect e = sync().sync(DANA, true).effects().get(0);
    assertEquals("unmatched", e.action());
    assertEquals("active", enrollment(seq, "maria@example.com").state());
    assertEquals("unmatched", ReplyStore().inbound(DANA, 10).get(0).action());
  }

  @Test
  void anAutoReplyIsNotAReply() {
    SequenceRow seq = launchedAndFirstStageSent("maria@example.com");
    inbound("maria@example.com", "Re: x", messageIdTo("maria@example.com"), "We got your message.", Map.of("Auto-Submitted", "auto-generated"));
    ReplySync.Effect e = sync().sync(DANA, true).effects().get(0);
    assertEquals("auto_reply", e.kind());
    assertEquals("ignored", e.action());
    assertEquals("active", enrollment(seq, "maria@example.com").state());
  }

  @Test
  void anOutOfOfficePausesUntilTheReturnDateThenResumes() {
    SequenceRow seq = launchedAndFirstStageSent("maria@example.com");
    inbound("maria@example.com", "Automatic reply: Order", messageIdTo("maria@example.com"), "I am out of the office until Monday, December 14.",
        Map.of("Auto-Submitted", "auto-replied"));
    ReplySync.Effect e = sync().sync(DANA, true).effects().get(0);
    assertEquals("out_of_office", e.kind());
    assertEquals("paused", e.action());
    Instant back = Instant.parse("2026-12-14T00:00:00Z");
    assertEquals(back, e.pausedUntil());
    assertEquals("paused", enrollment(seq, "maria@example.com").state());
    assertContains(enrollment(seq, "maria@example.com").reason(), "out_of_office:until 2026-12-14T00:00:00Z (read from the reply)");
    // Stage 2 was due on Thursday: it waits for the return.
    advance(Duration.ofDays(3));
    assertEquals(0, worker(ReplyWatch.NONE).pass(100).sent());
    clock.set(back.plus(Duration.ofHours(15)));
    assertEquals(1, worker(ReplyWatch.NONE).pass(100).sent(), "resumed on the return day");
    assertEquals("completed", enrollment(seq, "maria@example.com").state());
  }

  @Test
  void anOutOfOfficeWithoutADatePausesForTheContractDefault() {
    SequenceRow seq = launchedAndFirstStageSent("maria@example.com");
    inbound("maria@example.com", "Out of Office", messageIdTo("maria@example.com"), "I am on vacation.", Map.of("X-Autoreply", "yes"));
    ReplySync.Effect e = sync().sync(DANA, true).effects().get(0);
    assertEquals(MONDAY_10_NY.plus(Duration.ofDays(7)), e.pausedUntil());
    assertContains(enrollment(seq, "maria@example.com").reason(), "(the contract's default 7 days)");
  }

  @Test
  void aHardBounceEndsTheEnrollmentAndSuppressesTheAddress() throws Exception {
    SequenceRow seq = launchedAndFirstStageSent("gone@example.com");
    String dsn =
        Files.readString(ReplyCorpusTest.CORPUS.resolve("bounce-postfix-5.1.1.eml"))
            .replace("nobody@northwind.example", "gone@example.com")
            .replace("<dlv_1cb00d3c0eea549c@lakesideprint.com>", messageIdTo("gone@example.com"));
    inbox().deliver(DANA, dsn.getBytes(java.nio.charset.StandardCharsets.UTF_8), clock.instant());
    ReplySync.Effect e = sync().sync(DANA, true).effects().get(0);
    assertEquals("bounce_hard", e.kind());
    assertEquals("dsn_original_message_id", e.matchReason());
    assertEquals("bounced", e.action());
    assertEquals("bounced", enrollment(seq, "gone@example.com").state());
    assertEquals("bounced:5.1.1", enrollment(seq, "gone@example.com").reason());
    assertTrue(store.suppressionMatch("email", "gone@example.com").isPresent(), "the address is suppressed");
  }

  @Test
  void aSoftBounceIsRecordedOnly() throws Exception {
    SequenceRow seq = launchedAndFirstStageSent("full@fabrikam.com");
    String dsn =
        Files.readString(ReplyCorpusTest.CORPUS.resolve("bounce-soft-mailbox-full.eml"))
            .replace("full@fabrikam.example", "full@fabrikam.com")
            .replace("<dlv_7e41a9b20c5d3f86@lakesideprint.com>", messageIdTo("full@fabrikam.com"));
    inbox().deliver(DANA, dsn.getBytes(java.nio.charset.StandardCharsets.UTF_8), clock.instant());
    ReplySync.Effect e = sync().sync(DANA, true).effects().get(0);
    assertEquals("soft_bounce", e.action());
    assertEquals("4.2.2", e.status());
    assertEquals("active", enrollment(seq, "full@fabrikam.com").state());
    assertTrue(store.suppressionMatch("email", "full@fabrikam.com").isEmpty());
  }

  @Test
  void aDryRunReadsAndSaysButChangesNothing() {
    SequenceRow seq = launchedAndFirstStageSent("maria@example.com");
    inbound("maria@example.com", "Re: x", messageIdTo("maria@example.com"), "Yes.", Map.of());
    assertEquals("replied", sync().sync(DANA, false).effects().get(0).action());
    assertEquals("active", enrollment(seq, "maria@example.com").state());
    assertTrue(ReplyStore().watch(DANA).isEmpty(), "no watch recorded by a dry run");
    assertEquals(1, sync().sync(DANA, true).effects().size(), "the message is still there to take");
  }

  @Test
  void aReplyStopsTheRecipientInEverySequenceOfThatOwner() {
    SequenceRow seq = launchedAndFirstStageSent("maria@example.com");
    inbound("maria@example.com", "Re: x", messageIdTo("maria@example.com"), "Stop please, I got it.", Map.of());
    sync().sync(DANA, true);
    assertEquals(List.of("replied"), comms.core.store.EnrollmentStore.of(store).inSequence(seq.id()).stream().map(x -> x.state()).toList());
    assertTrue(comms.core.store.EnrollmentStore.of(store).activeSequenceOf(DANA, "maria@example.com").isEmpty());
  }

  comms.core.store.ReplyStore ReplyStore() {
    return comms.core.store.ReplyStore.of(store);
  }

  /** The subject stage 1 rendered: the payment_needed email template with every test variable "v". */
  String firstSubject() {
    return BINDINGS.templates().template("payment_needed.email").orElseThrow().subject().replaceAll("\\{\\{\\w+}}", "v");
  }
}
