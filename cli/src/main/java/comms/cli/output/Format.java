package comms.cli.output;

/** The output formats every command offers. */
public enum Format {
  table,
  json,
  yaml
}
