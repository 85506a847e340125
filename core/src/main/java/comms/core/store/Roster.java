package comms.core.store;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.Timestamps;
import comms.core.contract.OperatorsContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The operators table: who may act, their role, their caps and whether they are active. The operators
 * contract seeds it the first time anything is written for an operator (and seeds an operator added to
 * the contract later the same way); a row the store holds is never changed by the contract again, only
 * by {@link #add} and {@link #update}. Reads never create the store: before it exists, the roster is the
 * contract's.
 */
public final class Roster {
  /** Where a row came from: the contract, or {@code operators.add}. */
  public static final String FROM_CONTRACT = "contract";

  public static final String FROM_ADD = "operators.add";

  /** One operator. {@code source} is contract or operators.add; {@code stored} is false until seeded. */
  public record Operator(
      String email, String displayName, String role, int dailyCap, int perMinuteCap, boolean active, String source, boolean stored) {
    public Operator {
      Objects.requireNonNull(email);
      Objects.requireNonNull(displayName);
      if (!OperatorsContract.ROLES.contains(role)) {
        throw new IllegalArgumentException("role " + role);
      }
    }

    public boolean admin() {
      return "admin".equals(role);
    }
  }

  /** What {@link #update} changes; null leaves a field as it is. */
  public record Change(String displayName, String role, Integer dailyCap, Integer perMinuteCap, Boolean active) {
    public boolean isEmpty() {
      return displayName == null && role == null && dailyCap == null && perMinuteCap == null && active == null;
    }

    /** Whether it touches anything beyond the display name (role, caps, active: an admin's call). */
    public boolean beyondName() {
      return role != null || dailyCap != null || perMinuteCap != null || active != null;
    }

    /** The changed fields by their contract names, for an audit payload (no names of people). */
    public Map<String, Object> fields() {
      Map<String, Object> m = new LinkedHashMap<>();
      if (displayName != null) {
        m.put("display_name", "changed");
      }
      if (role != null) {
        m.put("role", role);
      }
      if (dailyCap != null) {
        m.put("daily_cap", dailyCap);
      }
      if (perMinuteCap != null) {
        m.put("per_minute_cap", perMinuteCap);
      }
      if (active != null) {
        m.put("active", active);
      }
      return m;
    }
  }

  private final Store store;
  private final OperatorsContract contract;

  private Roster(Store store, OperatorsContract contract) {
    this.store = Objects.requireNonNull(store);
    this.contract = Objects.requireNonNull(contract);
  }

  public static Roster of(Store store, OperatorsContract contract) {
    return new Roster(store, contract);
  }

  public OperatorsContract contract() {
    return contract;
  }

  /** Everyone, by address: the store's rows and the contract's operators not seeded yet. */
  public List<Operator> list() {
    synchronized (store) {
      Map<String, Operator> all = new LinkedHashMap<>();
      Connection c = store.open(false);
      if (c != null) {
        for (Operator o : store.run("read the operators", () -> stored(c))) {
          all.put(o.email(), o);
        }
      }
      for (OperatorsContract.Operator o : contract.operators()) {
        all.putIfAbsent(o.email(), fromContract(o, false));
      }
      List<Operator> out = new ArrayList<>(all.values());
      out.sort((a, b) -> a.email().compareTo(b.email()));
      return out;
    }
  }

  public Optional<Operator> find(String email) {
    String e = OperatorsContract.normalize(email);
    return list().stream().filter(o -> o.email().equals(e)).findFirst();
  }

  /**
   * Writes the contract's operators the store does not hold yet (never changing a held row), in one
   * write transaction, so processes seeding at once cannot clash. Returns how many rows were added.
   */
  public int seed(Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction("seed the operators from " + OperatorsContract.FILE, c, () -> seed(c, at));
    }
  }

  /** Seeds inside a caller's write transaction (send caps, audit rows, roster changes). */
  int seed(Connection c, Instant at) throws SQLException {
    int added = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO operators (email, display_name, role, daily_cap, per_minute_cap, active, source, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING")) {
      for (OperatorsContract.Operator o : contract.operators()) {
        bind(ps, fromContract(o, true), at);
        added += ps.executeUpdate();
      }
    }
    return added;
  }

  /** Adds an operator; refused (exit 4) when the address is already on the roster. */
  public Operator add(Operator op, Instant at) {
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "add an operator",
          c,
          () -> {
            seed(c, at);
            if (row(c, op.email()).isPresent()) {
              throw new CommsException(
                  ExitCode.POLICY, op.email() + " is already an operator; change them with comms operators.update");
            }
            Operator stored = new Operator(op.email(), op.displayName(), op.role(), op.dailyCap(), op.perMinuteCap(), op.active(), FROM_ADD, true);
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO operators (email, display_name, role, daily_cap, per_minute_cap, active, source, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
              bind(ps, stored, at);
              ps.executeUpdate();
            }
            return stored;
          });
    }
  }

  /**
   * Changes an operator's row and returns it. Refused (exit 4) for an address not on the roster, and
   * when it would leave no active admin (nobody could manage the roster any more).
   */
  public Operator update(String email, Change change, Instant at) {
    String e = OperatorsContract.normalize(email);
    synchronized (store) {
      Connection c = store.open(true);
      return store.transaction(
          "update an operator",
          c,
          () -> {
            seed(c, at);
            Operator was =
                row(c, e).orElseThrow(
                    () -> new CommsException(ExitCode.POLICY, e + " is not an operator; add them with comms operators.add"));
            Operator now =
                new Operator(
                    was.email(),
                    change.displayName() != null ? change.displayName() : was.displayName(),
                    change.role() != null ? change.role() : was.role(),
                    change.dailyCap() != null ? change.dailyCap() : was.dailyCap(),
                    change.perMinuteCap() != null ? change.perMinuteCap() : was.perMinuteCap(),
                    change.active() != null ? change.active() : was.active(),
                    was.source(),
                    true);
            if (was.admin() && was.active() && !(now.admin() && now.active()) && activeAdmins(c) <= 1) {
              throw new CommsException(
                  ExitCode.POLICY,
                  e + " is the last active admin; make another operator an admin first, so someone can still manage the roster");
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE operators SET display_name = ?, role = ?, daily_cap = ?, per_minute_cap = ?, active = ?, updated_at = ?"
                        + " WHERE email = ?")) {
              ps.setString(1, now.displayName());
              ps.setString(2, now.role());
              ps.setInt(3, now.dailyCap());
              ps.setInt(4, now.perMinuteCap());
              ps.setInt(5, now.active() ? 1 : 0);
              ps.setString(6, Timestamps.format(at));
              ps.setString(7, e);
              ps.executeUpdate();
            }
            return now;
          });
    }
  }

  /** The stored row for an address, inside a caller's transaction (after seeding). */
  static Optional<Operator> row(Connection c, String email) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE email = ?")) {
      ps.setString(1, email);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(operator(rs)) : Optional.empty();
      }
    }
  }

  private static int activeAdmins(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM operators WHERE role = 'admin' AND active = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static final String SELECT = "SELECT email, display_name, role, daily_cap, per_minute_cap, active, source FROM operators";

  private static List<Operator> stored(Connection c) throws SQLException {
    List<Operator> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY email");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(operator(rs));
      }
    }
    return out;
  }

  private static Operator operator(ResultSet rs) throws SQLException {
    return new Operator(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getInt(6) == 1, rs.getString(7), true);
  }

  private static Operator fromContract(OperatorsContract.Operator o, boolean stored) {
    return new Operator(o.email(), o.displayName(), o.role(), o.dailyCap(), o.perMinuteCap(), o.active(), FROM_CONTRACT, stored);
  }

  private static void bind(PreparedStatement ps, Operator o, Instant at) throws SQLException {
    String t = Timestamps.format(at);
    ps.setString(1, o.email());
    ps.setString(2, o.displayName());
    ps.setString(3, o.role());
    ps.setInt(4, o.dailyCap());
    ps.setInt(5, o.perMinuteCap());
    ps.setInt(6, o.active() ? 1 : 0);
    ps.setString(7, o.source());
    ps.setString(8, t);
    ps.setString(9, t);
  }
}
