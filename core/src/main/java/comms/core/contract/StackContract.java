package comms.core.contract;

import java.util.List;
import java.util.Optional;

/** communications.stack.contract.yaml: what the stack is, where it runs, and the mailbox pilot. */
public record StackContract(Source source, Stack stack, Pilot pilot) {
  public static final String FILE = "communications.stack.contract.yaml";
  public static final List<String> SEND_TEST_MODES = List.of("simulation", "live-pilot");
  public static final List<String> BACKENDS = List.of("microsoft-graph");

  /** The stack's identity and the infra target it is deployed to. */
  public record Stack(String name, String stage, Infra infra) {}

  /** The deploy facts the stack claims; must agree with infra.targets.yaml. */
  public record Infra(Source source, String target, int vmId, String profile, String host, List<Service> services) {
    public Infra {
      services = List.copyOf(services);
    }
  }

  /** A service the stack must expose, with its port. */
  public record Service(String name, int port, String protocol) {}

  /** The mailbox pilot: how send-tests run and which mailboxes take part. */
  public record Pilot(
      Source source,
      SendTest sendTest,
      String executionBackend,
      Source backendSource,
      List<Mailbox> mailboxes,
      List<CatalogMessage> catalog) {
    public Pilot {
      mailboxes = List.copyOf(mailboxes);
      catalog = List.copyOf(catalog);
    }

    public List<Mailbox> activeMailboxes() {
      return mailboxes.stream().filter(Mailbox::active).toList();
    }

    public Optional<Mailbox> mailbox(String address) {
      return mailboxes.stream().filter(m -> m.address().equalsIgnoreCase(address)).findFirst();
    }

    public boolean live() {
      return "live-pilot".equals(sendTest.mode());
    }
  }

  /** send_test: simulation or live-pilot, and the subject tag for test messages. */
  public record SendTest(Source source, String mode, String subjectPrefix) {}

  /** One pilot mailbox row. */
  /** One pilot mailbox; {@code provider} names a gmail provider when the mailbox is on Google Workspace, else null (the execution backend). */
  public record Mailbox(String address, String displayName, String owner, boolean active, String provider) {
    public Mailbox(String address, String displayName, String owner, boolean active) {
      this(address, displayName, owner, active, null);
    }
  }

  /** A message held in the simulated mailbox catalog. */
  public record CatalogMessage(String mailbox, String id, String from, String subject, String receivedAt, String body) {}

  /** The same contract with the send-test mode set to simulation. */
  public StackContract simulated() {
    SendTest st = new SendTest(pilot.sendTest().source(), "simulation", pilot.sendTest().subjectPrefix());
    Pilot p = new Pilot(pilot.source(), st, pilot.executionBackend(), pilot.backendSource(), pilot.mailboxes(), pilot.catalog());
    return new StackContract(source, stack, p);
  }

  public static StackContract from(YamlValue root) {
    YamlMap m = root.asMap();
    m.integer("version", 1);
    YamlMap s = m.map("stack");
    YamlMap i = s.map("infra");
    Infra infra =
        new Infra(
            i.source(),
            i.string("target"),
            i.integer("vm_id"),
            i.string("profile"),
            i.string("host"),
            i.list("services", StackContract::service));
    i.end();
    Stack stack = new Stack(s.string("name"), s.string("stage"), infra);
    s.end();
    YamlMap p = m.map("pilot");
    YamlMap st = p.map("send_test");
    SendTest sendTest =
        new SendTest(st.source(), st.oneOf("mode", SEND_TEST_MODES), st.string("subject_prefix", "[comms pilot]"));
    st.end();
    Source backendSource = p.get("execution_backend").source();
    String backend = p.oneOf("execution_backend", BACKENDS);
    List<Mailbox> mailboxes = p.list("mailboxes", StackContract::mailbox);
    List<CatalogMessage> catalog = p.list("catalog", StackContract::message, List.of());
    Pilot pilot = new Pilot(p.source(), sendTest, backend, backendSource, mailboxes, catalog);
    p.end();
    m.end();
    return new StackContract(root.source(), stack, pilot);
  }

  static Service service(YamlValue v) {
    YamlMap m = v.asMap();
    int port = m.integer("port");
    if (port < 1 || port > 65535) {
      throw m.get("port").error("port " + port + " is outside 1-65535");
    }
    Service s = new Service(m.string("name"), port, m.oneOf("protocol", List.of("tcp", "udp"), "tcp"));
    m.end();
    return s;
  }

  private static Mailbox mailbox(YamlValue v) {
    YamlMap m = v.asMap();
    String address = m.string("address");
    if (!address.contains("@")) {
      throw m.get("address").error("'" + address + "' is not an email address");
    }
    Mailbox b = new Mailbox(address, m.string("display_name", address), m.string("owner", ""), m.bool("active", true), m.string("provider", null));
    m.end();
    return b;
  }

  private static CatalogMessage message(YamlValue v) {
    YamlMap m = v.asMap();
    CatalogMessage c =
        new CatalogMessage(
            m.string("mailbox"),
            m.string("id"),
            m.string("from"),
            m.string("subject"),
            m.string("received_at"),
            m.string("body", ""));
    m.end();
    return c;
  }
}
