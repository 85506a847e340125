package comms.core.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading the delivery log: newest first, filters on raw bytes, reading only the end of a big log. */
class JournalReaderTest extends JournalFixture {
  @Test
  void readsBackExactlyWhatWasWrittenNewestFirst() {
    DeliveryJournal j = journal();
    List<DeliveryRecord> written = appendFive(j);
    DeliveryJournal.Page p = j.newest(3, DeliveryJournal.Filter.ALL);
    assertEquals(List.of(written.get(4), written.get(3), written.get(2)), p.entries());
    assertEquals(List.of(), p.warnings());
    assertEquals(5, j.newest(100, null).entries().size());
  }

  @Test
  void recipientIsNormalizedInTheLine() {
    DeliveryJournal j = journal();
    DeliveryRecord r =
        j.append(DeliveryRecord.builder().time(T0).deliveryId("e1").channel("email").to("  Maria@Lakeside.Example ").status("sent").build());
    assertEquals("maria@lakeside.example", r.to());
    assertEquals(1, j.newest(5, DeliveryJournal.Filter.ALL.to("MARIA@lakeside.example")).entries().size());
  }

  @Test
  void missingOrEmptyLogIsFine() throws IOException {
    DeliveryJournal j = journal();
    assertTrue(j.verify().ok());
    assertEquals(0, j.verify().lines());
    assertEquals(List.of(), j.newest(20, null).entries());
    Files.createDirectories(j.file().getParent());
    Files.createFile(j.file());
    assertTrue(j.verify().ok());
    assertEquals(List.of(), j.newest(20, null).entries());
    assertEquals(List.of(), j.newest(20, null).warnings());
  }

  @Test
  void filtersSelectByEachField() {
    DeliveryJournal j = journal();
    List<DeliveryRecord> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(
          DeliveryRecord.builder()
              .time(T0.plusSeconds(i * 60L))
              .deliveryId("d" + i)
              .channel(i % 2 == 0 ? "sms" : "email")
              .messageType(i % 3 == 0 ? "order_ready" : "payment_needed")
              .to(i % 2 == 0 ? "+1555000" + (1000 + i % 4) : "Person" + (i % 4) + "@Example.com")
              .status(DeliveryRecord.STATUSES.get(i % DeliveryRecord.STATUSES.size()))
              .idempotencyKey("k" + i)
              .build());
    }
    j.appendAll(all);
    check(j, all, DeliveryJournal.Filter.ALL.channel("email"));
    check(j, all, DeliveryJournal.Filter.ALL.status("failed"));
    check(j, all, DeliveryJournal.Filter.ALL.status("failed").channel("sms"));
    check(j, all, DeliveryJournal.Filter.ALL.to("person1@example.com"));
    check(j, all, DeliveryJournal.Filter.ALL.to("+15550001002"));
    check(j, all, DeliveryJournal.Filter.ALL.messageType("order_ready").channel("sms"));
    check(j, all, DeliveryJournal.Filter.ALL.idempotencyKey("k17"));
    check(j, all, DeliveryJournal.Filter.ALL.since(T0.plusSeconds(600)));
    check(j, all, DeliveryJournal.Filter.ALL.until(T0.plusSeconds(600)));
    check(j, all, DeliveryJournal.Filter.ALL.since(T0.plusSeconds(600)).until(T0.plusSeconds(1200)).status("sent"));
    // sub-millisecond bounds still compare exactly
    check(j, all, DeliveryJournal.Filter.ALL.until(T0.plusSeconds(600).plusNanos(500_000)));
    check(j, all, DeliveryJournal.Filter.ALL.since(T0.plusSeconds(600).plusNanos(500_000)));
    assertEquals(List.of(), j.newest(10, DeliveryJournal.Filter.ALL.status("queued").channel("fax")).entries());
    assertEquals(1, j.newest(10, DeliveryJournal.Filter.ALL.idempotencyKey("k17")).entries().size());
  }

  private static void check(DeliveryJournal j, List<DeliveryRecord> all, DeliveryJournal.Filter f) {
    List<String> expected = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (f.matches(all.get(i))) {
        expected.add(all.get(i).deliveryId());
      }
    }
    assertFalse(expected.isEmpty(), "filter selects something: " + f);
    List<String> got = j.newest(100, f).entries().stream().map(DeliveryRecord::deliveryId).toList();
    assertEquals(expected, got, f.toString());
    List<String> two = j.newest(2, f).entries().stream().map(DeliveryRecord::deliveryId).toList();
    assertEquals(expected.subList(0, Math.min(2, expected.size())), two, f.toString());
  }

  @Test
  void aQuotedStatusInsideAnotherFieldDoesNotMatch() {
    DeliveryJournal j = journal();
    j.append(DeliveryRecord.builder().time(T0).deliveryId("a").channel("sms").status("sent").error("\"status\":\"failed\"").build());
    assertEquals(List.of(), j.newest(5, DeliveryJournal.Filter.ALL.status("failed")).entries());
    assertEquals(1, j.newest(5, DeliveryJournal.Filter.ALL.status("sent")).entries().size());
  }

  @Test
  void unicodeAndLineSeparatorsInValuesStayOnOneLine() throws IOException {
    DeliveryJournal j = journal();
    DeliveryRecord r =
        j.append(DeliveryRecord.builder().time(T0).deliveryId("u").channel("sms").status("failed").error("boom\nnext\u2028line 😀 é").build());
    assertEquals(1, lines(j).size());
    assertEquals(r, j.newest(1, DeliveryJournal.Filter.ALL.status("failed")).entries().get(0));
    assertTrue(j.verify().ok());
  }

  @Test
  void newestOnABigLogReadsOnlyItsEnd() {
    DeliveryJournal j = journal();
    int total = 200_000;
    int chunk = 20_000;
    for (int base = 0; base < total; base += chunk) {
      List<DeliveryRecord> batch = new ArrayList<>(chunk);
      for (int i = base; i < base + chunk; i++) {
        batch.add(record("d" + i, i % 10_000 == 1234 ? "failed" : "simulated", T0.plusMillis(i * 10L)));
      }
      j.appendAll(batch);
    }
    long size = j.file().toFile().length();

    DeliveryJournal.Page p = j.newest(20, DeliveryJournal.Filter.ALL);
    List<String> ids = p.entries().stream().map(DeliveryRecord::deliveryId).toList();
    List<String> expected = new ArrayList<>();
    for (int i = total - 1; i >= total - 20; i--) {
      expected.add("d" + i);
    }
    assertEquals(expected, ids);
    assertTrue(p.bytesRead() <= 2L << 20, "read " + p.bytesRead() + " of " + size + " bytes");
    assertTrue(size > 50L << 20, "the log is big: " + size);

    // A rare status: every match, newest first, across block boundaries.
    DeliveryJournal.Page failed = j.newest(100, DeliveryJournal.Filter.ALL.status("failed"));
    List<String> failedIds = failed.entries().stream().map(DeliveryRecord::deliveryId).toList();
    List<String> expectedFailed = new ArrayList<>();
    for (int i = total - 1; i >= 0; i--) {
      if (i % 10_000 == 1234) {
        expectedFailed.add("d" + i);
      }
    }
    assertEquals(expectedFailed, failedIds);
    assertEquals(size, failed.bytesRead(), "a filter with too few matches scans everything");

    DeliveryJournal.Page fewFailed = j.newest(3, DeliveryJournal.Filter.ALL.status("failed"));
    assertEquals(expectedFailed.subList(0, 3), fewFailed.entries().stream().map(DeliveryRecord::deliveryId).toList());

    // a since bound near the end
    DeliveryJournal.Page recent = j.newest(1000, DeliveryJournal.Filter.ALL.since(T0.plusMillis((total - 50) * 10L)));
    assertEquals(50, recent.entries().size());

    DeliveryJournal.Verification v = j.verify();
    assertTrue(v.ok(), v::toString);
    assertEquals(total, v.lines());
  }

  @Test
  void aLineLongerThanAReadBlockIsReadWhole() throws IOException {
    DeliveryJournal j = journal();
    DeliveryRecord first = j.append(record("small-1", "sent", T0));
    String big = "x".repeat(3 << 20);
    // comms clips its own lines to MAX_LINE_BYTES; an older comms did not, and its log must still read.
    Map<String, Object> f = DeliveryRecord.builder().time(T0.plusSeconds(1)).deliveryId("big").channel("sms").status("failed").error(big).build().fields();
    f.put("prev_hash", first.hash());
    f.remove("hash");
    String body = Json.write(f);
    Files.writeString(j.file(), body.substring(0, body.length() - 1) + ",\"hash\":\"" + Sha256.hex(body) + "\"}\n", StandardOpenOption.APPEND);
    j.append(record("small-2", "sent", T0.plusSeconds(2)));
    List<DeliveryRecord> all = j.newest(10, null).entries();
    assertEquals(List.of("small-2", "big", "small-1"), all.stream().map(DeliveryRecord::deliveryId).toList());
    assertEquals(big, all.get(1).error());
    assertEquals("big", j.newest(10, DeliveryJournal.Filter.ALL.status("failed")).entries().get(0).deliveryId());
    assertTrue(j.verify().ok());
  }
}
