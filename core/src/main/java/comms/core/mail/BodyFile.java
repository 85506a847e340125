package comms.core.mail;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.SmallFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A send-test body read from a file: UTF-8 text of at most 1 MB; anything else is a usage error naming the file. */
public final class BodyFile {
  static final int MAX_BYTES = 1 << 20;

  private BodyFile() {}

  public static String read(Path file) {
    return read(file, "--body-file");
  }

  /** As {@link #read(Path)}, naming the file by {@code option} (such as --file) in a refusal. */
  public static String read(Path file, String option) {
    String name = option + " " + file;
    if (Files.isDirectory(file)) {
      throw new CommsException(ExitCode.USAGE, name + " is a folder; give the path of a plain-text file holding the message body");
    }
    byte[] bytes;
    try {
      bytes = SmallFile.read(file, MAX_BYTES);
    } catch (SmallFile.TooLarge e) {
      throw new CommsException(ExitCode.USAGE, name + " is larger than 1 MB; a test message body must be smaller");
    } catch (NoSuchFileException e) {
      throw new CommsException(ExitCode.USAGE, name + ": no such file; give the path of a plain-text file holding the message body");
    } catch (AccessDeniedException e) {
      throw new CommsException(ExitCode.USAGE, name + " cannot be read (permission denied); make it readable" + (option.equals("--body-file") ? " or use --body" : ""));
    } catch (IOException e) {
      throw new CommsException(ExitCode.USAGE, name + " cannot be read (" + e.getMessage() + ")");
    }
    // A NUL never occurs in text; it marks an image, an archive or another binary file.
    for (byte b : bytes) {
      if (b == 0) {
        throw new CommsException(ExitCode.USAGE, name + " holds binary data (a NUL byte), not text; give a plain-text UTF-8 file");
      }
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new CommsException(ExitCode.USAGE, name + " is not UTF-8 text; save it as UTF-8" + (option.equals("--body-file") ? " (or give the body with --body)" : ""));
    }
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
