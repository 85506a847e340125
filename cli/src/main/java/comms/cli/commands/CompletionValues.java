package comms.cli.commands;

import comms.core.contract.Channels;
import comms.core.outbox.DeliveryRecord;
import java.util.Iterator;
import java.util.List;

/** Fixed option values for --help and shell completion (values a contract decides are added by `comms completion`). */
public final class CompletionValues {
  private CompletionValues() {}

  /** The channels a send or a consent record can name. */
  public static final class ChannelNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Channels.SENDABLE.iterator();
    }
  }

  /** The statuses a delivery-log line can have. */
  public static final class DeliveryStatuses implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return DeliveryRecord.STATUSES.iterator();
    }
  }

  /** The consent states `consent.record --state` records. */
  public static final class RecordedConsent implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("opted-in", "opted-out").iterator();
    }
  }
}
