package comms.cli.output;

/**
 * A command's result as shown to a person (a table) or a program (a JSON/YAML tree). Commands build
 * dedicated view records; domain objects are never serialised directly.
 */
public interface View {
  /** The machine tree: Maps with stable keys, Lists, Strings, Numbers, Booleans. */
  Object tree();

  /** The human rendering. */
  void table(Table.Printer p);
}
