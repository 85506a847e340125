package comms.cli;

/** Process entry point: runs {@link Comms} on the real streams and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // picocli looks for Groovy's Closure class once per process, a search of the whole class path
    // for a class comms does not have (a documented picocli switch turns the search off).
    System.setProperty("picocli.disable.closures", "true");
    System.exit(Comms.run(System.in, System.out, System.err, System.getenv(), args));
  }
}
