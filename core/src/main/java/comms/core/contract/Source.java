package comms.core.contract;

/** Where a contract value came from: file, 1-based line and column, and its field path. */
public record Source(String file, int line, int column, String path) {
  public String where() {
    return file + ":" + line + ":" + column;
  }

  @Override
  public String toString() {
    return path == null || path.isEmpty() ? where() : where() + " (" + path + ")";
  }
}
