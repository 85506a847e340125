package comms.cli;

/** Process entry point: runs {@link Comms} on the real streams and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Comms.run(System.in, System.out, System.err, System.getenv(), args));
  }
}
