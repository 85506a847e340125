package comms.core.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A contract file's bytes as UTF-8 text: refused when it is not a small regular file, when it was
 * saved as UTF-16 or UTF-32 (told to save it as UTF-8), or at the line and column of its first byte
 * that is not UTF-8.
 */
final class ContractText {
  private ContractText() {}

  static String read(Path file, String displayName, long maxBytes) {
    byte[] bytes;
    try {
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        // A folder, a device or a pipe: reading one could block or never end.
        throw new ContractException(displayName, "is not a regular file; a contract must be a plain YAML file");
      }
      long size = Files.size(file);
      if (size > maxBytes) {
        throw new ContractException(displayName, "file is " + size + " bytes; contracts are limited to " + maxBytes + " bytes");
      }
      bytes = comms.core.SmallFile.read(file, (int) maxBytes);
    } catch (comms.core.SmallFile.TooLarge e) {
      // It grew after its size was read.
      throw new ContractException(displayName, "file is larger than " + maxBytes + " bytes, the limit for contracts");
    } catch (NoSuchFileException e) {
      throw new ContractException(displayName, "file not found; create it or point --bindings at the folder that has it");
    } catch (IOException e) {
      throw new ContractException(displayName, "cannot read file: " + e.getMessage());
    }
    String wide = wideEncoding(bytes);
    if (wide != null) {
      throw new ContractException(
          new Source(displayName, 1, 1, ""),
          "file is " + wide + " text, not UTF-8; save it as UTF-8 (in most editors: Save As, Encoding UTF-8) and run again");
    }
    return utf8(bytes, displayName);
  }

  /**
   * The UTF-16 or UTF-32 form the bytes are in, by their byte order mark or, without one, by the
   * NULs that ASCII text has in those forms (YAML 1.2, section 5.2); null for anything else.
   */
  static String wideEncoding(byte[] b) {
    if (starts(b, 0x00, 0x00, 0xFE, 0xFF)) {
      return "UTF-32 (big-endian)";
    }
    if (starts(b, 0xFF, 0xFE, 0x00, 0x00)) {
      return "UTF-32 (little-endian)";
    }
    if (starts(b, 0xFE, 0xFF)) {
      return "UTF-16 (big-endian)";
    }
    if (starts(b, 0xFF, 0xFE)) {
      return "UTF-16 (little-endian)";
    }
    if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] != 0) {
      return "UTF-32 (big-endian)";
    }
    if (b.length >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
      return "UTF-32 (little-endian)";
    }
    if (b.length >= 2 && b[0] == 0 && b[1] != 0) {
      return "UTF-16 (big-endian)";
    }
    if (b.length >= 2 && b[0] != 0 && b[1] == 0) {
      return "UTF-16 (little-endian)";
    }
    return null;
  }

  private static boolean starts(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** The bytes as UTF-8, or a refusal at the line and column of the first byte that is not. */
  private static String utf8(byte[] bytes, String displayName) {
    CharsetDecoder d =
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = d.decode(in, out, true);
    if (!r.isError()) {
      r = d.flush(out);
    }
    out.flip();
    if (r.isError()) {
      Source at = place(displayName, out, out.length());
      throw new ContractException(at, "file is not valid UTF-8 text (byte " + (in.position() + 1) + "); save it as UTF-8 and run again");
    }
    return out.toString();
  }

  /** The 1-based line and column just after the first {@code length} characters of {@code text}. */
  static Source place(String displayName, CharSequence text, int length) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < length && i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        column = 1;
      } else if (!Character.isLowSurrogate(c)) {
        column++;
      }
    }
    return new Source(displayName, line, column, "");
  }
}
