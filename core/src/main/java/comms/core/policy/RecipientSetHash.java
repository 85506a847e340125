package comms.core.policy;

import comms.core.Recipients;
import comms.core.outbox.Sha256;
import java.util.Collection;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What an approval binds to: SHA-256 over the sequence id and its sorted, distinct canonical recipient
 * identities ({@link Recipients#normalize}), so adding or removing a recipient changes it and order or
 * spelling ("Ana@X.com " vs "ana@x.com") does not.
 */
public record RecipientSetHash(String hex, int recipients) {
  public RecipientSetHash {
    Objects.requireNonNull(hex);
  }

  public static RecipientSetHash of(String sequenceId, Collection<String> recipients) {
    if (sequenceId == null || sequenceId.isBlank()) {
      throw new IllegalArgumentException("a recipient set hash needs the sequence id");
    }
    TreeSet<String> sorted = new TreeSet<>();
    for (String r : recipients) {
      String n = Recipients.normalize(r);
      if (n == null || n.isEmpty()) {
        throw new IllegalArgumentException("a recipient set holds a blank identity");
      }
      sorted.add(n);
    }
    return new RecipientSetHash(Sha256.hex(sequenceId + "\n" + String.join("\n", sorted)), sorted.size());
  }

  @Override
  public String toString() {
    return hex;
  }
}
