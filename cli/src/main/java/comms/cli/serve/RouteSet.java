package comms.cli.serve;

/**
 * A group of endpoints that registers itself on the {@link Router}: the sequences API, the read-only
 * reports, the dashboard. A new group (Resend webhooks, snippets) is one more class added to
 * {@link WorkerServer#ROUTE_SETS}.
 */
public interface RouteSet {
  void register(Router router, ServerContext context);
}
