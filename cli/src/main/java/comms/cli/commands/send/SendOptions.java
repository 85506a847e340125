package comms.cli.commands.send;

import comms.cli.App;
import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.PolicyContract;
import comms.core.send.PreviewRequest;
import comms.core.send.SendInput;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The flags every send command shares (send.preview, send.execute), and the preview request they make. */
public final class SendOptions {
  /** The channels a transactional send can use. */
  public enum Channel {
    sms,
    email
  }

  /** The consent states, for --help and shell completion. */
  static final class ConsentStates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return PolicyContract.CONSENT_STATES.iterator();
    }
  }

  @Option(names = "--channel", required = true, paramLabel = "CHANNEL", description = "How to send: ${COMPLETION-CANDIDATES}.")
  Channel channel;

  @Option(
      names = "--message-type",
      required = true,
      paramLabel = "TYPE",
      description = "A message type from the delivery contract, e.g. payment_needed (see comms templates.list).")
  String messageType;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "RECIPIENT",
      description = "SMS: an E.164 number such as +13125550142. Email: one address such as name@example.com.")
  String to;

  @Option(
      names = "--consent-state",
      required = true,
      paramLabel = "STATE",
      completionCandidates = ConsentStates.class,
      description = "The consent you hold for this recipient: ${COMPLETION-CANDIDATES}. A recorded opt-out overrides it.")
  String consentState;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Vars vars;

  /** Exactly one source of template variables. */
  static final class Vars {
    @Option(
        names = "--vars-json",
        paramLabel = "JSON",
        description = "Template variables as one JSON object of strings or numbers, e.g. '{\"customer_name\":\"Ana\"}'.")
    String json;

    @Option(names = "--vars-file", paramLabel = "FILE", description = "A file holding the template variables as one JSON object.")
    Path file;
  }

  @Option(
      names = "--at",
      paramLabel = "ISO-INSTANT",
      description = "Judge quiet hours as of this instant, e.g. 2026-11-22T15:00:00Z (default: now, or $COMMS_NOW).")
  String at;

  @Option(
      names = "--recipient-tz",
      paramLabel = "ZONE",
      description = "The recipient's IANA time zone, e.g. America/Denver (default: the number's zones, else the policy's default zone).")
  String recipientTz;

  /** The preview request these flags describe; every bad value is a usage error (exit 2) saying what to fix. */
  public PreviewRequest request(App app) {
    SendInput.consentState(consentState, "--consent-state");
    Map<String, String> variables = vars.json != null ? SendInput.variables(vars.json, "--vars-json") : SendInput.variables(readFile(vars.file), "--vars-file " + vars.file);
    ZoneId zone = SendInput.zone(recipientTz, "--recipient-tz");
    boolean live = app.bindings().delivery().live();
    return new PreviewRequest(channel.name(), messageType, to, consentState, variables, SendInput.instant(at, app.clock().instant(), "--at"), zone, live);
  }

  /** Far more than any set of template variables; a bigger file is a mistake (or /dev/zero). */
  static final int VARS_FILE_MAX_BYTES = 1 << 20;

  private static String readFile(Path file) {
    try {
      byte[] bytes = comms.core.SmallFile.read(file, VARS_FILE_MAX_BYTES);
      return java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new CommsException(ExitCode.USAGE, "--vars-file " + file + " is not UTF-8 text; save it as UTF-8 JSON");
    } catch (comms.core.SmallFile.TooLarge e) {
      throw new CommsException(
          ExitCode.USAGE, "--vars-file " + file + " is larger than 1 MB; it must hold one JSON object of template variables");
    } catch (NoSuchFileException e) {
      throw new CommsException(ExitCode.USAGE, "--vars-file " + file + ": no such file; give the path of a JSON file with the template variables");
    } catch (IOException e) {
      throw new CommsException(ExitCode.USAGE, "--vars-file " + file + ": cannot be read (" + e.getMessage() + ")");
    }
  }
}
