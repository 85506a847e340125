package comms.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** One identity per address in the store: any spelling finds a consent record or a suppression made in another. */
class StoreIdentityTest {
  static final String BACKENDS = "comms.core.store.StoreBackend#all";

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path tmp;

  Path db() {
    return tmp.resolve("outbox/state/comms.db");
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void anOptOutRecordedInOneSpellingBlocksEveryOther(StoreBackend b) {
    try (Store s = b.open(db())) {
      s.recordConsent("email", "maria@bücher.de", "opted-out", "phone call", T0);
      for (String other : List.of("maria@xn--bcher-kva.de", "MARIA@XN--BCHER-KVA.DE", "ｍａｒｉａ@ｂüｃｈｅｒ．ｄｅ", " maria@BÜCHER.de ")) {
        assertEquals(Optional.of("opted-out"), s.consentState("email", other), other);
      }
      s.recordConsent("email", "dana@xn--bcher-kva.de", "opted-out", "reply", T0);
      assertEquals(Optional.of("opted-out"), s.consentState("email", "dana@bücher.de"));
    }
  }

  @ParameterizedTest
  @MethodSource(BACKENDS)
  void aDomainSuppressedInOneSpellingCoversEveryOtherAndItsSubdomains(StoreBackend b) {
    try (Store s = b.open(db())) {
      assertTrue(s.addSuppression("domain", "bücher.de", "asked", T0));
      for (String to : List.of("a@xn--bcher-kva.de", "a@ＢÜＣＨＥＲ．ＤＥ", "a@mail.bücher.de", "a@mail.xn--bcher-kva.de")) {
        assertTrue(s.suppressionMatch("email", to).isPresent(), to);
      }
      // the same domain typed the other way is the same suppression, not a second one
      assertEquals(false, s.addSuppression("domain", "XN--BCHER-KVA.DE", "again", T0));
      assertEquals(List.of("xn--bcher-kva.de"), s.listSuppressions().stream().map(SuppressionStore.Suppression::value).toList());
      assertTrue(s.removeSuppression("domain", "ｂüｃｈｅｒ．ｄｅ", T0.plusSeconds(60)));
      assertEquals(Optional.empty(), s.suppressionMatch("email", "a@bücher.de"));
    }
  }

  @Test
  void aPhase1StoreIsRewrittenInCanonicalFormOnceAndStaysAppendOnly() throws Exception {
    // A store at schema step 3, with what phase 1 wrote: addresses lower-cased only.
    Files.createDirectories(db().getParent());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db())) {
      try (Statement st = c.createStatement()) {
        for (Migrations.Migration m : Migrations.ALL) {
          if (m.version() <= 3) {
            for (String sql : m.statements()) {
              st.execute(sql);
            }
          }
        }
        st.execute("PRAGMA user_version = 3");
      }
      insert(c, "INSERT INTO consent (channel, recipient, state, source, recorded_at) VALUES ('email', 'maria@bücher.de', 'opted-out', 'call', '2026-01-01T00:00:00.000Z')");
      insert(c, "INSERT INTO consent (channel, recipient, state, source, recorded_at) VALUES ('sms', '+13125550199', 'opted-out', 'STOP', '2026-01-01T00:00:00.000Z')");
      insert(c, "INSERT INTO suppression (kind, value, reason, created_at) VALUES ('domain', 'bücher.de', 'asked', '2026-01-01T00:00:00.000Z')");
      insert(c, "INSERT INTO suppression (kind, value, reason, created_at) VALUES ('domain', 'xn--bcher-kva.de', 'asked again', '2026-01-02T00:00:00.000Z')");
      insert(c, "INSERT INTO suppression (kind, value, reason, created_at) VALUES ('address', 'ｄａｎａ@ｌａｋｅｓｉｄｅ．ｅｘａｍｐｌｅ', 'bounced', '2026-01-01T00:00:00.000Z')");
    }
    try (Store s = Store.at(db())) {
      assertEquals(Migrations.latest(), s.schemaVersion());
      assertEquals(Optional.of("opted-out"), s.consentState("email", "maria@xn--bcher-kva.de"));
      assertEquals("maria@xn--bcher-kva.de", s.consentHistory("email", "maria@bücher.de").get(0).recipient());
      assertEquals(Optional.of("opted-out"), s.consentState("sms", "+1 312 555 0199"));
      assertTrue(s.suppressionMatch("email", "dana@lakeside.example").isPresent());
      List<SuppressionStore.Suppression> inForce = s.listSuppressions();
      assertEquals(List.of("dana@lakeside.example", "xn--bcher-kva.de"), inForce.stream().map(SuppressionStore.Suppression::value).toList());
      assertEquals("asked", inForce.get(1).reason(), "the oldest of two spellings stays in force");
      List<SuppressionStore.Suppression> all = s.listSuppressions(true);
      assertEquals(3, all.size(), "the merged spelling is kept as history");
      assertTrue(all.stream().anyMatch(x -> x.removedAt() != null && x.reason().contains("asked again") && x.reason().contains("merged")), all::toString);
      // the rewrite lifted the append-only guard for itself only
      SQLException e =
          assertThrows(SQLException.class, () -> {
            try (Statement st = s.open(false).createStatement()) {
              st.execute("UPDATE consent SET state = 'opted-in'");
            }
          });
      assertTrue(e.getMessage().contains("append-only"), e::getMessage);
    }
  }

  private static void insert(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.executeUpdate();
    }
  }
}
