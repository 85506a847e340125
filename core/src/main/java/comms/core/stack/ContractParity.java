package comms.core.stack;

import comms.core.contract.Channels;
import comms.core.contract.ContractException;
import comms.core.contract.DeliveryContract;
import comms.core.contract.PolicyContract;
import comms.core.contract.ProvidersContract;
import comms.core.contract.Source;
import comms.core.contract.StackContract;
import comms.core.contract.TemplatesCatalog;
import comms.core.send.TemplateRenderer;
import comms.core.verify.TemplateVariables;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-references between contracts (message types, templates, provider routes, channels), each
 * problem with the place to fix it. {@code stack.status} and {@code verify} both report these.
 */
public final class ContractParity {
  private ContractParity() {}

  /** One broken cross-reference and where it is written. */
  public record Finding(String message, Source source) {
    public String where() {
      return source.line() > 0 ? source.where() : source.file();
    }
  }

  /** Each route names a provider that exists and serves its channel, and a template of its type and channel. */
  public static List<Finding> routes(DeliveryContract d, ProvidersContract p, TemplatesCatalog t) {
    List<Finding> out = new ArrayList<>();
    for (DeliveryContract.MessageType mt : d.messageTypes()) {
      for (DeliveryContract.Route r : mt.routes()) {
        String label = mt.name() + "/" + r.channel();
        var provider = p.provider(r.provider());
        String problem = null;
        if (provider.isEmpty()) {
          problem = label + " names provider '" + r.provider() + "', which " + ProvidersContract.FILE + " does not define";
        } else if (!provider.get().serves(r.channel())) {
          problem = label + " routes to '" + r.provider() + "', which does not serve channel " + r.channel();
        } else {
          var tpl = t.template(r.template());
          if (tpl.isEmpty()) {
            problem = label + " names template '" + r.template() + "', which the templates catalog does not have";
          } else if (!tpl.get().channel().equals(r.channel())) {
            problem = label + " uses template '" + r.template() + "' written for channel " + tpl.get().channel();
          } else if (!tpl.get().messageType().equals(mt.name())) {
            problem = label + " uses template '" + r.template() + "' of message type " + tpl.get().messageType();
          }
        }
        if (problem != null) {
          out.add(new Finding(problem, r.source()));
        }
      }
    }
    return out;
  }

  public static int routeCount(DeliveryContract d) {
    return d.messageTypes().stream().mapToInt(mt -> mt.routes().size()).sum();
  }

  /** Each template's message type exists and has a route on the template's channel that uses it. */
  public static List<Finding> templates(TemplatesCatalog t, DeliveryContract d) {
    List<Finding> out = new ArrayList<>();
    Set<String> routedTemplates = new HashSet<>();
    d.messageTypes().forEach(mt -> mt.routes().forEach(r -> routedTemplates.add(r.template())));
    for (TemplatesCatalog.Template tpl : t.templates()) {
      var mt = d.messageType(tpl.messageType());
      String problem = null;
      if (mt.isEmpty()) {
        problem = "template '" + tpl.id() + "' is for message type '" + tpl.messageType() + "', which the delivery contract does not declare";
      } else if (mt.get().route(tpl.channel()).isEmpty()) {
        problem = "template '" + tpl.id() + "' is for channel " + tpl.channel() + " but " + tpl.messageType() + " has no " + tpl.channel() + " route";
      } else if (!routedTemplates.contains(tpl.id())) {
        problem = "template '" + tpl.id() + "' is not used by any route";
      }
      if (problem != null) {
        out.add(new Finding(problem, tpl.source()));
      }
    }
    return out;
  }

  /** Each message type can be sent somewhere: it has at least one route, and at most one per channel. */
  public static List<Finding> messageTypes(DeliveryContract d) {
    List<Finding> out = new ArrayList<>();
    for (DeliveryContract.MessageType mt : d.messageTypes()) {
      if (mt.routes().isEmpty()) {
        out.add(new Finding("message type '" + mt.name() + "' has no routes; add one per channel it goes out on, or remove it", mt.source()));
      }
      Set<String> channels = new HashSet<>();
      for (DeliveryContract.Route r : mt.routes()) {
        if (!channels.add(r.channel())) {
          out.add(new Finding("message type '" + mt.name() + "' has a second " + r.channel() + " route; only the first would ever be used", r.source()));
        }
      }
    }
    return out;
  }

  /** Each provider is used: a route names it, or it is the mailbox pilot's execution backend. */
  public static List<Finding> providersUsed(ProvidersContract p, DeliveryContract d, StackContract s) {
    return providersUsed(p, d, s, Set.of());
  }

  /**
   * Each provider is used: a route names it, it is the mailbox pilot's execution backend, or it is
   * a mailbox's own provider ({@code mailboxes}: those operators' and pilot mailboxes' contracts name, such as gmail).
   */
  public static List<Finding> providersUsed(ProvidersContract p, DeliveryContract d, StackContract s, Set<String> mailboxes) {
    Set<String> routed = new HashSet<>(mailboxes);
    s.pilot().mailboxes().forEach(m -> {
      if (m.provider() != null) {
        routed.add(m.provider());
      }
    });
    d.messageTypes().forEach(mt -> mt.routes().forEach(r -> routed.add(r.provider())));
    List<Finding> out = new ArrayList<>();
    for (ProvidersContract.Provider provider : p.providers()) {
      boolean pilot = provider.kind().equals(s.pilot().executionBackend()) && provider.serves(Channels.MAILBOX);
      if (!routed.contains(provider.name()) && !pilot) {
        out.add(new Finding(
            "provider '" + provider.name() + "' is not used by any route in " + DeliveryContract.FILE
                + " nor by the mailbox pilot; route a message type to it or remove it", provider.source()));
      }
    }
    return out;
  }

  /** Every channel a route sends on has a consent rule, and every consent rule is for a routed channel. */
  public static List<Finding> consentChannels(PolicyContract policy, DeliveryContract d) {
    Set<String> routed = new LinkedHashSet<>();
    List<Finding> out = new ArrayList<>();
    for (DeliveryContract.MessageType mt : d.messageTypes()) {
      for (DeliveryContract.Route r : mt.routes()) {
        if (routed.add(r.channel()) && !policy.consent().containsKey(r.channel())) {
          out.add(new Finding(
              mt.name() + "/" + r.channel() + " sends on " + r.channel() + " but " + PolicyContract.FILE
                  + " has no consent rule for it, so every such send would be blocked; add consent." + r.channel(), r.source()));
        }
      }
    }
    for (String channel : policy.consent().keySet()) {
      if (!routed.contains(channel)) {
        out.add(new Finding(
            "consent." + channel + " is a rule for a channel no route in " + DeliveryContract.FILE + " sends on; remove it or add a route",
            policy.source()));
      }
    }
    return out;
  }

  /**
   * Templates the strict renderer would refuse on every send: a placeholder the template does not
   * declare, text that is not Mustache, a partial or a dotted name. {@code stack.status} and
   * {@code verify} both report these (verify also reports declared variables a template never uses,
   * which {@link #unusedVariables} finds: those do not stop a send).
   */
  public static List<Finding> templateVariables(TemplatesCatalog catalog) {
    List<Finding> out = new ArrayList<>();
    for (TemplatesCatalog.Template t : catalog.templates()) {
      int before = out.size();
      for (Map.Entry<String, String> part : parts(t).entrySet()) {
        try {
          for (String v : TemplateVariables.used(part.getValue())) {
            if (!t.variables().contains(v)) {
              out.add(new Finding(
                  "template '" + t.id() + "' uses {{" + v + "}} in its " + part.getKey() + " but does not declare it; add " + v + " to its variables",
                  t.source()));
            }
          }
        } catch (TemplateVariables.NotMustache e) {
          out.add(new Finding("template '" + t.id() + "' " + part.getKey() + " is not valid Mustache: " + e.getMessage(), t.source()));
        }
      }
      if (out.size() == before) {
        // What the renderer refuses beyond undeclared names (a partial, {{a.b}}), in its own words.
        try {
          TemplateRenderer.placeholders(t);
        } catch (ContractException e) {
          String prefix = t.source() + ": ";
          String m = e.getMessage();
          out.add(new Finding(m.startsWith(prefix) ? m.substring(prefix.length()) : m, t.source()));
        }
      }
    }
    return out;
  }

  /** Variables a template declares but never uses: a send still renders, but callers must pass them for nothing. */
  public static List<Finding> unusedVariables(TemplatesCatalog catalog) {
    List<Finding> out = new ArrayList<>();
    templates:
    for (TemplatesCatalog.Template t : catalog.templates()) {
      Set<String> used = new LinkedHashSet<>();
      for (String text : parts(t).values()) {
        try {
          used.addAll(TemplateVariables.used(text));
        } catch (TemplateVariables.NotMustache e) {
          continue templates; // reported by templateVariables
        }
      }
      for (String declared : t.variables()) {
        if (!used.contains(declared)) {
          out.add(new Finding(
              "template '" + t.id() + "' declares variable '" + declared + "' but never uses it; remove it from variables or use {{" + declared + "}}",
              t.source()));
        }
      }
    }
    return out;
  }

  private static Map<String, String> parts(TemplatesCatalog.Template t) {
    Map<String, String> parts = new LinkedHashMap<>();
    parts.put("subject", t.subject());
    parts.put("body", t.body());
    parts.put("html", t.html());
    return parts;
  }
}
