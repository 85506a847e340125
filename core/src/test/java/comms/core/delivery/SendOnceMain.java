package comms.core.delivery;

import comms.core.contract.Bindings;
import comms.core.outbox.DeliveryJournal;
import comms.core.outbox.FaultPoint;
import comms.core.outbox.OutboxPaths;
import comms.core.provider.DispatchResult;
import comms.core.provider.Provider;
import comms.core.send.PreviewRequest;
import comms.core.send.Previewer;
import comms.core.store.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A child process for the two-process test: one approved send of the same email under key KEY.
 * Role "hold" prints "dispatching" inside the provider and waits for a line on stdin before it
 * answers; "plain" sends at once. Prints every note, then "outcome STATUS DELIVERY_ID EXIT".
 */
public final class SendOnceMain {
  /** The same instant and message as IdempotentSendTest (not loaded here: its bindings path is relative to the module). */
  static final Instant NOON_CHICAGO = Instant.parse("2026-11-23T18:00:00Z");

  private SendOnceMain() {}

  public static void main(String[] args) throws Exception {
    Bindings bindings = Bindings.open(Path.of(args[0]));
    OutboxPaths paths = new OutboxPaths(Path.of(args[1]));
    String key = args[2];
    boolean hold = args[3].equals("hold");
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Provider provider =
        new Provider() {
          @Override
          public String name() {
            return "resend";
          }

          @Override
          public DispatchResult send(comms.core.provider.Dispatch d) {
            if (hold) {
              System.out.println("dispatching");
              System.out.flush();
              try {
                stdin.readLine();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
            return new DispatchResult("simulated", "sim-" + d.deliveryId(), 1);
          }
        };
    try (Store store = Store.at(paths.store())) {
      TransactionalSend t =
          new TransactionalSend(
              Previewer.from(bindings, store::consentState, store::suppressionMatch), bindings.providers(), (p, live) -> provider,
              new Evidence(paths, DeliveryJournal.of(paths, w -> {}), store, FaultPoint.NONE),
              Clock.fixed(NOON_CHICAGO, ZoneOffset.UTC),
              n -> {
                System.out.println("note: " + n);
                System.out.flush();
              });
      PreviewRequest email =
          new PreviewRequest(
              "email", "payment_needed", "pat@example.com", "opted-in",
              Map.of("customer_name", "Test", "order_number", "1", "balance_amount", "150.00", "payment_link", "https://example.com/pay"),
              NOON_CHICAGO, null, false);
      TransactionalSend.Outcome o = t.run(new TransactionalSend.Request(email, key, true, false, "run-test", null), s -> true);
      System.out.println("outcome " + o.status() + " " + o.deliveryId() + " " + o.exit().code());
    }
  }
}
