package comms.core.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.ContractException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneFileTest {
  static final String ZONE =
      "$ORIGIN example.com.\n"
          + "$TTL 300\n"
          + "@ IN SOA ns1 host ( 1 ; serial\n"
          + "   2 3 4 5 )\n"
          + "\n"
          + "; a comment\n"
          + "@ IN MX 10 mail\n"
          + "  IN TXT \"v=spf1 \" \"mx ~all\" ; split in two strings\n"
          + "mail IN A 192.0.2.1\n"
          + "_dmarc IN TXT \"v=DMARC1; p=none; note=(a;b)\"\n";

  @Test
  void recordsKeepTheirLinesThroughParenthesesCommentsAndInheritedOwners() {
    ZoneFile z = ZoneFile.parse(ZONE, "example.com", "example.com.zone");
    assertEquals(List.of(3, 7, 8, 9, 10), z.records().stream().map(e -> e.source().line()).toList());
    ZoneFile.Entry spf = z.at("EXAMPLE.com", "TXT").get(0);
    assertEquals("v=spf1 mx ~all", spf.data());
    assertEquals("mail.example.com", z.at("example.com", "MX").get(0).target());
    assertEquals("v=DMARC1; p=none; note=(a;b)", z.at("_dmarc.example.com", "TXT").get(0).data());
  }

  @Test
  void aSyntaxErrorIsRefusedAtItsLine() {
    ContractException e = assertThrows(ContractException.class,
        () -> ZoneFile.parse("$ORIGIN example.com.\n@ IN A 192.0.2.1\nmail IN A not-an-address\n", "example.com", "z.zone"));
    assertTrue(e.getMessage().startsWith("z.zone:3:"), e.getMessage());
  }

  @Test
  void includesAreRefused() {
    ContractException e = assertThrows(ContractException.class,
        () -> ZoneFile.parse("$ORIGIN example.com.\n$INCLUDE /etc/passwd\n", "example.com", "z.zone"));
    assertTrue(e.getMessage().startsWith("z.zone:"), e.getMessage());
  }
}
