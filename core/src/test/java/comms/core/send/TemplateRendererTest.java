package comms.core.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Source;
import comms.core.contract.TemplatesCatalog.Template;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Strict Mustache rendering: missing, undeclared and unexpected variables, escaping, no re-rendering. */
class TemplateRendererTest {
  static final Source SRC = new Source("communications.templates.catalog.yaml", 12, 5, "templates[2]");
  final TemplateRenderer renderer = new TemplateRenderer();

  static Template sms(String body, String... vars) {
    return new Template(SRC, "t.sms", "t", "sms", List.of(vars), null, body, null);
  }

  @Test
  void rendersPlainTextWithoutEscaping() {
    TemplateRenderer.Rendered r = renderer.render(sms("Hi {{name}} & co", "name"), Map.of("name", "<Tom & Jerry>"));
    assertEquals("Hi <Tom & Jerry> & co", r.body());
    assertNull(r.subject());
    assertEquals(List.of(), r.undeclaredVars());
  }

  @Test
  void escapesOnlyTheHtmlPart() {
    Template t = new Template(SRC, "t.email", "t", "email", List.of("name"), "For {{name}}", "Hi {{name}}", "<p>Hi {{name}}</p>");
    TemplateRenderer.Rendered r = renderer.render(t, Map.of("name", "<b>Tom & \"Jerry\"</b>"));
    assertEquals("For <b>Tom & \"Jerry\"</b>", r.subject());
    assertEquals("Hi <b>Tom & \"Jerry\"</b>", r.body());
    assertEquals("<p>Hi &lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;</p>", r.html());
  }

  @Test
  void missingVariableIsAUsageErrorNamingItAndTheTemplate() {
    CommsException e = assertThrows(CommsException.class, () -> renderer.render(sms("Hi {{name}}, pay {{link}}", "name", "link"), Map.of("name", "A")));
    assertEquals(ExitCode.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("link"), e::getMessage);
    assertTrue(e.getMessage().contains("t.sms"), e::getMessage);
    assertTrue(!e.getMessage().contains("variables name"), e::getMessage);
  }

  @Test
  void inputTheTemplateDoesNotDeclareIsReported() {
    TemplateRenderer.Rendered r = renderer.render(sms("Hi {{name}}", "name"), Map.of("name", "A", "coupon", "X", "aardvark", "Y"));
    assertEquals(List.of("aardvark", "coupon"), r.undeclaredVars());
  }

  @Test
  void placeholderNotDeclaredInTheCatalogIsAContractErrorWithFileAndLine() {
    CommsException e = assertThrows(CommsException.class, () -> renderer.render(sms("Hi {{name}} {{secret}}", "name"), Map.of("name", "A", "secret", "s")));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
    assertTrue(e.getMessage().contains("communications.templates.catalog.yaml:12"), e::getMessage);
    assertTrue(e.getMessage().contains("{{secret}}"), e::getMessage);
  }

  @Test
  void valuesAreNeverRenderedAgain() {
    TemplateRenderer.Rendered r = renderer.render(sms("Hi {{name}}", "name"), Map.of("name", "{{name}} {{other}}"));
    assertEquals("Hi {{name}} {{other}}", r.body());
  }

  @Test
  void brokenMustacheIsAContractError() {
    CommsException e = assertThrows(CommsException.class, () -> renderer.render(sms("Hi {{#name}} no end", "name"), Map.of("name", "A")));
    assertEquals(ExitCode.CONTRACT, e.exitCode());
  }

  @Test
  void placeholdersAreListedInOrder() {
    assertEquals(List.of("b", "a"), TemplateRenderer.placeholders(sms("{{b}} {{a}} {{b}}", "a", "b")));
  }
}
