package comms.core.reply;

import java.time.LocalDate;

/**
 * What an inbound message is taken for, and why.
 *
 * @param kind what it is
 * @param marker what gave it away (the header or rule), for the record and for a person checking it
 * @param returnDate an out-of-office's return date read from its text, null when none could be read
 * @param status a bounce's enhanced status code (5.1.1, 4.2.2), null otherwise
 * @param bouncedAddress the address a bounce reports, null when it names none
 */
public record Classification(Kind kind, String marker, LocalDate returnDate, String status, String bouncedAddress) {
  /** The kinds; only {@link #HUMAN_REPLY} stops a sequence as a reply. */
  public enum Kind {
    HUMAN_REPLY("human_reply"),
    OUT_OF_OFFICE("out_of_office"),
    AUTO_REPLY("auto_reply"),
    BULK("bulk"),
    BOUNCE_HARD("bounce_hard"),
    BOUNCE_SOFT("bounce_soft");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  static Classification of(Kind kind, String marker) {
    return new Classification(kind, marker, null, null, null);
  }
}
