package comms.core.store;

import comms.core.Timestamps;
import comms.core.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The approvals people gave sequences: confirmations, reviews with their reviewers, and tokens (kept only as a hash). */
public final class ApprovalStore {
  private final Store store;

  private ApprovalStore(Store store) {
    this.store = Objects.requireNonNull(store);
  }

  public static ApprovalStore of(Store store) {
    return new ApprovalStore(store);
  }

  /** One approval. {@code reviewers} are the operators who confirmed a review; {@code usedAt} is set once a token was spent. */
  public record ApprovalRow(
      String id, String sequenceId, String kind, String approver, List<String> reviewers, String recipientSetHash, String tokenSha256,
      Instant createdAt, Instant expiresAt, Instant usedAt) {}

  /** Adds an approval (in the caller's transaction when there is one, e.g. with its audit row). */
  public void add(ApprovalRow a) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "record an approval",
          c,
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO approvals (id, sequence_id, kind, approver, reviewers_json, recipient_set_hash, token_sha256, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
              ps.setString(1, a.id());
              ps.setString(2, a.sequenceId());
              ps.setString(3, a.kind());
              ps.setString(4, a.approver());
              ps.setString(5, Json.write(a.reviewers()));
              ps.setString(6, a.recipientSetHash());
              ps.setString(7, a.tokenSha256());
              ps.setString(8, Timestamps.format(a.createdAt()));
              ps.setString(9, Timestamps.format(a.expiresAt()));
              return ps.executeUpdate();
            }
          });
    }
  }

  /** Adds a reviewer to a review (in the caller's transaction when there is one). */
  public void addReviewer(String id, List<String> reviewers) {
    synchronized (store) {
      Connection c = store.open(true);
      store.transaction(
          "add a reviewer",
          c,
          () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE approvals SET reviewers_json = ? WHERE id = ?")) {
              ps.setString(1, Json.write(reviewers));
              ps.setString(2, id);
              return ps.executeUpdate();
            }
          });
    }
  }

  /** Spends a token: true only for the first caller (single use). */
  public boolean spend(String id, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "spend an approval token",
          c,
          () -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE approvals SET used_at = ? WHERE id = ? AND used_at IS NULL")) {
              ps.setString(1, Timestamps.format(at));
              ps.setString(2, id);
              return ps.executeUpdate() == 1;
            }
          });
    }
  }

  /** Every approval of the sequence, newest first. */
  @SuppressWarnings("unchecked")
  public List<ApprovalRow> forSequence(String sequenceId) {
    synchronized (store) {
      Connection c = store.open(false);
      if (c == null) {
        return List.of();
      }
      return store.run(
          "read approvals",
          () -> {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT id, sequence_id, kind, approver, reviewers_json, recipient_set_hash, token_sha256, created_at, expires_at, used_at"
                        + " FROM approvals WHERE sequence_id = ? ORDER BY created_at DESC, rowid DESC")) {
              ps.setString(1, sequenceId);
              List<ApprovalRow> out = new ArrayList<>();
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  List<String> reviewers = ((List<Object>) Json.parse(rs.getString(5))).stream().map(String::valueOf).toList();
                  out.add(
                      new ApprovalRow(
                          rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), reviewers, rs.getString(6), rs.getString(7),
                          Timestamps.parse(rs.getString(8)), Timestamps.parse(rs.getString(9)), SequenceStore.instant(rs.getString(10))));
                }
              }
              return out;
            }
          });
    }
  }
}
