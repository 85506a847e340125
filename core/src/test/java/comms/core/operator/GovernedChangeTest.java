package comms.core.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Bindings;
import comms.core.outbox.OutboxPaths;
import comms.core.store.AuditLog;
import comms.core.store.Roster;
import comms.core.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import comms.core.store.StoreBackend;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The governed change without the CLI: dry run, yes, decline, refusals and the audit rows each leaves. */
@ParameterizedClass(name = "{0}")
@MethodSource("comms.core.store.StoreBackend#all")
class GovernedChangeTest {
  @Parameter StoreBackend backend;

  static final Bindings BINDINGS = Bindings.open(Path.of("..", "bindings").toAbsolutePath().normalize());
  static final Instant AT = Instant.parse("2026-11-23T18:00:00Z");
  static final String BOB = "bob@example.com";

  @TempDir Path outbox;
  Store store;
  AuditTrail audit;
  final List<String> asked = new ArrayList<>();

  @BeforeEach
  void open() {
    store = backend.open(new OutboxPaths(outbox).store());
    Roster roster = Roster.of(store, BINDINGS.operators());
    Identity who = Identity.resolve(roster, "dana@lakesideprint.com", null, null, "tester");
    audit = new AuditTrail(store, roster, who, "run-test", Clock.fixed(AT, ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    store.close();
  }

  GovernedChange answering(boolean yes) {
    return new GovernedChange(audit, summary -> {
      asked.add(summary);
      return yes;
    });
  }

  static AuditTrail.Action suppress() {
    return AuditTrail.Action.of("suppression.add", "suppression", AuditTrail.hash(BOB)).with("kind", "address");
  }

  Optional<Boolean> suppressBob(GovernedChange g, boolean execute) {
    return g.run(
        new GovernedChange.Request(suppress(), "About to suppress " + BOB, execute),
        () -> store.addSuppression("address", BOB, "bounced", AT),
        changed -> AuditTrail.outcome(changed ? "applied" : "unchanged", 0));
  }

  List<AuditLog.Entry> rows() {
    return AuditLog.of(store).newest(new AuditLog.Query(100, null, null, null));
  }

  @Test
  void aDryRunAsksNobodyChangesNothingAndWritesNoRow() {
    assertEquals(Optional.empty(), suppressBob(answering(true), false));
    assertTrue(asked.isEmpty());
    assertEquals(Optional.empty(), store.suppressionMatch("email", BOB));
    assertTrue(rows().isEmpty());
  }

  @Test
  void aDryRunNeverBuildsTheAuditTrail() {
    GovernedChange g = new GovernedChange(() -> {
      throw new AssertionError("a dry run resolved the audit trail");
    }, summary -> true);
    AuditTrail.Action action = suppress();
    assertEquals(Optional.empty(), g.run(new GovernedChange.Request(action, "About to suppress", false), () -> true));
    CommsException refused = assertThrows(CommsException.class, () -> g.refuse(false, new Permissions.Refusal("no", "not yours"), action));
    assertEquals(ExitCode.POLICY, refused.exitCode());
  }

  @Test
  void yesAppliesTheChangeWithItsRowNamingTheOutcome() {
    assertEquals(Optional.of(true), suppressBob(answering(true), true));
    assertEquals(List.of("About to suppress " + BOB), asked);
    assertTrue(store.suppressionMatch("email", BOB).isPresent());
    List<AuditLog.Entry> rows = rows();
    assertEquals(1, rows.size());
    assertEquals("suppression.add", rows.get(0).action());
    assertEquals("applied", rows.get(0).payload().get("outcome"));
    assertEquals(AuditTrail.hash(BOB), rows.get(0).resourceId());
    assertFalse(rows.get(0).payload().toString().contains(BOB), "no recipient in clear");

    // Again: the change reports nothing changed, and the row says so.
    assertEquals(Optional.of(false), suppressBob(answering(true), true));
    assertEquals("unchanged", rows().get(0).payload().get("outcome"));
  }

  @Test
  void anythingButYesIsExitFiveWithADeclinedRowAndNothingChanged() {
    CommsException e = assertThrows(CommsException.class, () -> suppressBob(answering(false), true));
    assertEquals(ExitCode.DECLINED, e.exitCode());
    assertEquals(Optional.empty(), store.suppressionMatch("email", BOB));
    List<AuditLog.Entry> rows = rows();
    assertEquals(1, rows.size());
    assertEquals("declined", rows.get(0).payload().get("outcome"));
    assertEquals(5, ((Number) rows.get(0).payload().get("exit_code")).intValue());
  }

  @Test
  void aChangeTheStoreRefusesIsRolledBackAndGetsARefusedRow() {
    GovernedChange g = answering(true);
    AuditTrail.Action action = AuditTrail.Action.of("operators.add", "operator", "lee");
    CommsException e =
        assertThrows(
            CommsException.class,
            () -> g.run(new GovernedChange.Request(action, "About to add lee", true), () -> {
              store.addSuppression("address", BOB, "bounced", AT);
              throw new CommsException(ExitCode.POLICY, "lee is already an operator");
            }));
    assertEquals(ExitCode.POLICY, e.exitCode());
    assertEquals(Optional.empty(), store.suppressionMatch("email", BOB), "the change was rolled back with its transaction");
    List<AuditLog.Entry> rows = rows();
    assertEquals(1, rows.size());
    assertEquals("{outcome=refused, error=refused_by_store, exit_code=4}", rows.get(0).payload().toString());
  }

  @Test
  void aRefusalIsExitFourAuditedOnlyWhenExecuting() {
    Permissions.Refusal no = new Permissions.Refusal("not_admin", "only an admin adds operators");
    AuditTrail.Action action = AuditTrail.Action.of("operators.add", "operator", "lee");

    CommsException dry = assertThrows(CommsException.class, () -> answering(true).refuse(false, no, action));
    assertEquals(ExitCode.POLICY, dry.exitCode());
    assertEquals("only an admin adds operators (dry run: nothing was written)", dry.getMessage());
    assertTrue(rows().isEmpty());

    CommsException real = assertThrows(CommsException.class, () -> answering(true).refuse(true, no, action));
    assertEquals("only an admin adds operators", real.getMessage());
    assertEquals("{outcome=refused, error=not_admin, exit_code=4}", rows().get(0).payload().toString());
    assertTrue(asked.isEmpty(), "a refusal asks nobody");
  }
}
