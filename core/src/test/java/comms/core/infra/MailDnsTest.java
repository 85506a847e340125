package comms.core.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.contract.InfraTargets;
import comms.core.contract.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each wanted record against small zones: present, missing, or wrong with the reason. */
class MailDnsTest {
  static final Source HERE = new Source("t", 1, 1, "");
  static final InfraTargets.Mail MAIL =
      new InfraTargets.Mail(HERE, "stalwart", "example.com", "mail.example.com", List.of(), "sel1", "dmarc@example.com", "tls@example.com", "testing");

  static MailDns.Finding finding(String kind, String records) {
    ZoneFile zone = ZoneFile.parse("$ORIGIN example.com.\n" + records, "example.com", "example.com.zone");
    MailDns.Wanted w = MailDns.wanted(MAIL).stream().filter(x -> x.kind().equals(kind)).findFirst().orElseThrow();
    return MailDns.check(w, zone, MAIL);
  }

  static String problem(MailDns.Finding f) {
    return assertInstanceOf(MailDns.Wrong.class, f).problem();
  }

  @Test
  void theDomainNeedsEightRecordsAtTheirNames() {
    List<String> owners = MailDns.wanted(MAIL).stream().map(w -> w.kind() + "@" + w.owner()).toList();
    assertEquals(List.of("MX@example.com", "mail host address@mail.example.com", "SPF@example.com", "DKIM@sel1._domainkey.example.com",
        "DMARC@_dmarc.example.com", "MTA-STS@_mta-sts.example.com", "MTA-STS policy host@mta-sts.example.com", "TLS-RPT@_smtp._tls.example.com"), owners);
    assertTrue(MailDns.wanted(MAIL).get(4).value().contains("p=none"));
  }

  @Test
  void mx() {
    assertInstanceOf(MailDns.Present.class, finding("MX", "@ IN MX 5 other.example.net.\n@ IN MX 10 mail\n"));
    assertInstanceOf(MailDns.Missing.class, finding("MX", "@ IN A 192.0.2.1\n"));
    assertTrue(problem(finding("MX", "@ IN MX 10 mx.elsewhere.example.\n")).contains("points at mx.elsewhere.example, not mail.example.com"));
  }

  @Test
  void spf() {
    assertInstanceOf(MailDns.Present.class, finding("SPF", "@ IN TXT \"v=spf1 mx -all\"\n"));
    assertInstanceOf(MailDns.Present.class, finding("SPF", "@ IN TXT \"v=spf1 a:mail.example.com ~all\"\n"));
    assertInstanceOf(MailDns.Missing.class, finding("SPF", "@ IN TXT \"google-site-verification=abc\"\n"));
    assertTrue(problem(finding("SPF", "@ IN TXT \"v=spf1 include:spf.example.net ~all\"\n")).contains("\"v=spf1 mx include:spf.example.net ~all\""));
    assertTrue(problem(finding("SPF", "@ IN TXT \"v=spf1 mx ~all\"\n@ IN TXT \"v=spf1 -all\"\n")).contains("RFC 7208"));
    assertTrue(problem(finding("SPF", "@ IN TXT \"v=spf1 +all\"\n")).contains("does not authorize the MX host"));
  }

  @Test
  void dkim() {
    assertInstanceOf(MailDns.Present.class, finding("DKIM", "sel1._domainkey IN TXT \"v=DKIM1; k=rsa; p=MIIBIjANBgkq\"\n"));
    assertInstanceOf(MailDns.Missing.class, finding("DKIM", "other._domainkey IN TXT \"v=DKIM1; p=MIIB\"\n"));
    assertTrue(problem(finding("DKIM", "sel1._domainkey IN TXT \"v=DKIM1; p=\"\n")).contains("revokes the key"));
  }

  @Test
  void dmarcMustBeThePilotPolicyWithOurReports() {
    assertInstanceOf(MailDns.Present.class, finding("DMARC", "_dmarc IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@example.com\"\n"));
    assertTrue(problem(finding("DMARC", "_dmarc IN TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com\"\n")).contains("p=quarantine"));
    assertTrue(problem(finding("DMARC", "_dmarc IN TXT \"v=DMARC1; p=none\"\n")).contains("nobody (no rua=)"));
    assertTrue(problem(finding("DMARC", "_dmarc IN TXT \"v=DMARC1; p=none; rua=mailto:x@example.org\"\n")).contains("not mailto:dmarc@example.com"));
    assertTrue(problem(finding("DMARC", "_dmarc IN TXT \"hello\"\n")).contains("does not start with v=DMARC1"));
  }

  @Test
  void mtaStsAndTlsRpt() {
    assertInstanceOf(MailDns.Present.class, finding("MTA-STS", "_mta-sts IN TXT \"v=STSv1; id=20261203\"\n"));
    assertTrue(problem(finding("MTA-STS", "_mta-sts IN TXT \"v=STSv1\"\n")).contains("no id="));
    assertInstanceOf(MailDns.Present.class, finding("MTA-STS policy host", "mta-sts IN CNAME mail\n"));
    assertInstanceOf(MailDns.Missing.class, finding("MTA-STS policy host", "www IN CNAME mail\n"));
    assertInstanceOf(MailDns.Present.class, finding("TLS-RPT", "_smtp._tls IN TXT \"v=TLSRPTv1; rua=mailto:tls@example.com\"\n"));
    assertInstanceOf(MailDns.Missing.class, finding("TLS-RPT", "_smtp IN TXT \"v=TLSRPTv1; rua=mailto:tls@example.com\"\n"));
  }

  @Test
  void theMtaStsIdFollowsThePolicy() {
    InfraTargets.Mail enforce = new InfraTargets.Mail(HERE, "stalwart", "example.com", "mail.example.com", List.of(), "sel1", "d@example.com", "t@example.com", "enforce");
    assertEquals(16, MailServerPlan.mtaStsId(MAIL).length());
    assertTrue(!MailServerPlan.mtaStsId(MAIL).equals(MailServerPlan.mtaStsId(enforce)));
  }
}
