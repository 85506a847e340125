package comms.core.engagement;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/** Whether an IP address literal lies in a CIDR range; never a DNS look-up (a name is simply not within). */
final class Cidr {
  private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private Cidr() {}

  static boolean within(String ip, List<String> ranges) {
    byte[] a = literal(ip);
    if (a == null) {
      return false;
    }
    for (String r : ranges) {
      int slash = r.indexOf('/');
      byte[] net = literal(r.substring(0, slash));
      int bits = Integer.parseInt(r.substring(slash + 1));
      if (net != null && net.length == a.length && prefix(a, bits).equals(prefix(net, bits))) {
        return true;
      }
    }
    return false;
  }

  private static BigInteger prefix(byte[] address, int bits) {
    int total = address.length * 8;
    return new BigInteger(1, address).shiftRight(total - bits);
  }

  /** The bytes of an IPv4 or IPv6 literal, or null for anything else (checked first, so no name is ever resolved). */
  private static byte[] literal(String ip) {
    if (ip == null) {
      return null;
    }
    String s = ip.strip();
    boolean v4 = V4.matcher(s).matches();
    boolean v6 = !v4 && s.indexOf(':') >= 0 && V6.matcher(s).matches();
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
