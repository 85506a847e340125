package comms.core.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The corpus of real-shaped messages (Gmail, Outlook/Exchange, Apple Mail, Yahoo, Postfix, qmail,
 * Exim, mailing lists) under src/test/resources/replies/corpus, each read with mime4j and classified,
 * against the class, date, status and ids written beside it in expected.csv.
 */
class ReplyCorpusTest {
  static final Path CORPUS = Path.of("src", "test", "resources", "replies", "corpus");
  static final List<String> OURS = List.of("dlv_1cb00d3c0eea549c@lakesideprint.com", "dlv_7e41a9b20c5d3f86@lakesideprint.com");

  record Case(String file, String kind, String detail) {}

  static List<Case> cases() throws Exception {
    List<Case> out = new ArrayList<>();
    for (String line : Files.readAllLines(CORPUS.resolve("expected.csv"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(",", -1);
      out.add(new Case(f[0], f[1], f[2]));
    }
    return out;
  }

  static InboundMessage read(String file) throws Exception {
    return MimeMessages.parse(file, "dana@lakesideprint.com", Files.readAllBytes(CORPUS.resolve(file)), null);
  }

  @Test
  void theCorpusHasAtLeastThirtyMessagesOfEveryClassAndEveryFileIsListed() throws Exception {
    List<Case> cases = cases();
    assertTrue(cases.size() >= 30, cases.size() + " cases");
    for (Classification.Kind k : Classification.Kind.values()) {
      assertTrue(cases.stream().anyMatch(c -> c.kind().equals(k.label())), "no " + k.label() + " in the corpus");
    }
    try (Stream<Path> files = Files.list(CORPUS)) {
      List<String> eml = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml")).sorted().toList();
      assertEquals(eml, cases.stream().map(Case::file).sorted().toList(), "expected.csv lists every .eml once");
    }
  }

  @TestFactory
  Stream<DynamicTest> everyMessageGetsItsExpectedClass() throws Exception {
    return cases().stream().map(c -> DynamicTest.dynamicTest(c.file() + " is " + c.kind(), () -> check(c)));
  }

  private void check(Case c) throws Exception {
    InboundMessage m = read(c.file());
    Classification got = ReplyClassifier.classify(m);
    assertEquals(c.kind(), got.kind().label(), c.file() + ": " + got);
    switch (got.kind()) {
      case HUMAN_REPLY -> {
        List<String> named = c.detail().equals("in_reply_to") ? m.inReplyTo() : m.references();
        if (!c.detail().isEmpty()) {
          assertTrue(named.stream().anyMatch(id -> OURS.contains(id.toLowerCase())), c.file() + " names " + named);
        }
        assertTrue(!m.text().isBlank(), c.file() + " has text");
      }
      case OUT_OF_OFFICE -> assertEquals(c.detail().isEmpty() ? null : LocalDate.parse(c.detail()), got.returnDate(), c.file() + ": " + m.text());
      case BOUNCE_HARD, BOUNCE_SOFT -> {
        String[] d = c.detail().split(";", -1);
        assertEquals(d[0], got.status(), c.file());
        assertEquals(d[1], got.bouncedAddress(), c.file());
        if (d.length > 2 && d[2].equals("dsn_original")) {
          assertNotNull(m.report(), c.file());
          assertTrue(OURS.contains(comms.core.delivery.MessageIds.bare(m.report().originalMessageId())), c.file() + ": " + m.report());
        }
      }
      default -> {}
    }
  }

  @Test
  void headersAreDecodedAndUnfolded() throws Exception {
    InboundMessage m = read("human-html-only.eml");
    assertEquals("Re: Welcome to Lakeside Print", m.subject());
    assertEquals("juergen@mueller.example", m.from());
    assertTrue(m.text().contains("Hallo Dana"), m.text());
    InboundMessage qp = read("human-outlook-reply-qp.eml");
    assertTrue(qp.text().contains("Thank you \u2013 we are interested"), qp.text());
    InboundMessage b64 = read("human-apple-mail-reply.eml");
    assertTrue(b64.text().startsWith("Looks great \u2014 please go ahead"), b64.text());
    assertEquals(2, b64.references().size());
  }

  @Test
  void aMessageWrittenForTheSimulatedInboxReadsBackTheSame() {
    byte[] raw =
        MimeMessages.write(
            new MimeMessages.Draft(
                "Maria Gomez <maria@example.com>", "dana@lakesideprint.com", "Re: Welcome — café", "Merci, ça marche.\n", "<in-1@example.com>",
                "<dlv_1@lakesideprint.com>", List.of(java.util.Map.entry("Auto-Submitted", "auto-replied")), Instant.parse("2026-12-08T10:00:00Z")));
    InboundMessage m = MimeMessages.parse("sim-1", "dana@lakesideprint.com", raw, null);
    assertEquals("maria@example.com", m.from());
    assertEquals("Re: Welcome — café", m.subject());
    assertEquals("Merci, ça marche.", m.text().strip());
    assertEquals(List.of("dlv_1@lakesideprint.com"), m.inReplyTo());
    assertEquals(Instant.parse("2026-12-08T10:00:00Z"), m.receivedAt());
    assertEquals("auto_reply", ReplyClassifier.classify(m).kind().label());
    assertTrue(new String(raw, StandardCharsets.US_ASCII).contains("Message-ID: <in-1@example.com>"));
  }
}
