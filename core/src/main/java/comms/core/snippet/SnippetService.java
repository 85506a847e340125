package comms.core.snippet;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.Source;
import comms.core.contract.TemplatesCatalog;
import comms.core.operator.AuditTrail;
import comms.core.operator.Identity;
import comms.core.operator.Permissions;
import comms.core.outbox.Sha256;
import comms.core.store.SnippetStore;
import comms.core.store.SnippetStore.SnippetVersion;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The snippet library's rules: create a snippet and edit it into new versions (never changing one),
 * each body using only its declared variables; show, list and search what the acting operator may
 * read; co-sign a shared version as a second operator; and tell a sequence whether it may pin a
 * version. Every change is written with its audit row (no body text, no names) in one transaction.
 */
public final class SnippetService {
  /** How a stage names a version: ID@VERSION. */
  public static final Pattern REF = Pattern.compile("([A-Za-z0-9_.-]+)@([0-9]{1,9})");

  public static final List<String> CHANNELS = List.of("email", "sms");

  static final int MAX_NAME = 120;
  static final int DEFAULT_LIMIT = 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final SnippetStore store;
  private final Clock clock;

  public SnippetService(SnippetStore store, Clock clock) {
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * A new snippet or the fields of an edit ({@code null} keeps the previous version's value).
   * {@code bodyFile} is the path the body came from, so a refusal can name its line.
   */
  public record Draft(String name, String channel, String subject, String body, String bodyFile, Boolean shared, List<String> variables) {
    public Draft {
      variables = variables == null ? null : List.copyOf(variables);
    }
  }

  /** A version and the whole chain it belongs to, oldest first. */
  public record Shown(SnippetVersion version, List<SnippetVersion> history) {}

  // ------------------------------------------------------------------------------ changes

  /** The version {@code snippet.create} would write (checked, not stored): what a dry run shows. */
  public SnippetVersion prepareCreate(Identity who, Draft d) {
    if (d.name() == null || d.channel() == null || d.body() == null || d.variables() == null) {
      throw CommsException.usage("a new snippet needs --name, --channel, --file and --variables (--variables '' for none)");
    }
    return checked(new SnippetVersion(idFor(d.name()), 1, null, who.owner(), who.owner(), d.name(), d.channel(), d.subject(), d.body(), d.variables(),
        Boolean.TRUE.equals(d.shared()), clock.instant(), null, null), d.bodyFile());
  }

  public SnippetVersion create(Identity who, Draft d, AuditTrail audit) {
    SnippetVersion v = prepareCreate(who, d);
    return audit.apply(action("snippet.create", v), () -> store.add(v), x -> AuditTrail.outcome("created", 0));
  }

  /** The version {@code snippet.edit} would write on top of the latest one (checked, not stored). */
  public SnippetVersion prepareEdit(Identity who, String id, Draft d) {
    SnippetVersion latest = latest(who, id);
    Optional<Permissions.Refusal> no = SnippetAccess.edit(who, latest);
    if (no.isPresent()) {
      throw new CommsException(ExitCode.POLICY, no.get().message());
    }
    if (d.shared() != null && latest.shared() && !d.shared()) {
      throw new CommsException(ExitCode.CONTRACT, latest.id() + " is shared; a shared snippet stays shared (sequences may pin it). Create a private one instead");
    }
    String subject = d.subject() != null ? d.subject() : latest.subject();
    return checked(
        new SnippetVersion(latest.id(), latest.version() + 1, latest.ref(), latest.owner(), who.owner(),
            d.name() != null ? d.name() : latest.name(), latest.channel(), subject, d.body() != null ? d.body() : latest.body(),
            d.variables() != null ? d.variables() : latest.variables(), d.shared() != null ? d.shared() : latest.shared(), clock.instant(), null, null),
        d.body() != null ? d.bodyFile() : "snippet " + latest.ref() + " body");
  }

  /** Writes a new version whose parent is the latest one; the old versions stay as they are. A shared one needs a new co-sign. */
  public SnippetVersion edit(Identity who, String id, Draft d, AuditTrail audit) {
    SnippetVersion v = prepareEdit(who, id, d);
    return audit.apply(action("snippet.edit", v).with("parent_version", v.version() - 1), () -> store.add(v), x -> AuditTrail.outcome("created", 0));
  }

  /** Why {@code who} may not co-sign ID@VERSION (exit 4 refusals the caller audits); empty when they may. */
  public Optional<Permissions.Refusal> cosignRefusal(Identity who, String ref) {
    return SnippetAccess.cosign(who, version(who, ref));
  }

  /** Records {@code who}'s co-sign of ID@VERSION: from then on sequences may pin that version. */
  public SnippetVersion cosign(Identity who, String ref, AuditTrail audit) {
    SnippetVersion v = version(who, ref);
    SnippetAccess.cosign(who, v).ifPresent(r -> {
      throw new CommsException(ExitCode.POLICY, r.message());
    });
    Instant now = clock.instant();
    return audit.apply(
        AuditTrail.Action.of("snippet.cosign", "snippet", v.id()).with("version", v.version()),
        () -> store.cosign(v.id(), v.version(), who.owner(), now),
        x -> AuditTrail.outcome("cosigned", 0));
  }

  // ------------------------------------------------------------------------------ reads

  /** ID (the latest version) or ID@VERSION, with its history, if {@code who} may read it. */
  public Shown show(Identity who, String idOrRef) {
    Matcher m = REF.matcher(idOrRef.strip());
    SnippetVersion v = m.matches() ? version(who, idOrRef) : latest(who, idOrRef);
    return new Shown(v, store.history(v.id()));
  }

  /** The latest version of every snippet {@code who} may read; only shared ones, and/or only their own. */
  public List<SnippetVersion> list(Identity who, boolean sharedOnly, boolean mineOnly) {
    return store.latestAll().stream()
        .filter(v -> SnippetAccess.visible(who, v))
        .filter(v -> !sharedOnly || v.shared())
        .filter(v -> !mineOnly || v.owner().equals(who.owner()))
        .toList();
  }

  /**
   * The latest versions {@code who} may read whose name, subject or body hold every word of
   * {@code query} (a word matches as a prefix: "remind" finds "reminder"), best first by bm25 with a
   * hit in the name weighted 10, in the subject 5, in the body 1; at most {@code limit} (0: 20).
   * The one search the CLI, the HTTP API and MCP share.
   */
  public List<SnippetStore.Hit> search(Identity who, String query, int limit) {
    String match = ftsQuery(query);
    int n = limit <= 0 ? DEFAULT_LIMIT : limit;
    // The store filters as SnippetAccess.visible does, so the ranking is over what who may read; the
    // check again here keeps the one rule authoritative.
    return store.search(match, who.admin() ? null : who.owner(), n).stream().filter(h -> SnippetAccess.visible(who, h.version())).toList();
  }

  /** The FTS5 query for a person's words: each word quoted (no operators), as a prefix, all required. */
  static String ftsQuery(String query) {
    List<String> words = new ArrayList<>();
    for (String w : (query == null ? "" : query).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_]+")) {
      if (!w.isEmpty()) {
        words.add("\"" + w + "\"*");
      }
    }
    if (words.isEmpty()) {
      throw CommsException.usage("give at least one word to search for (letters or digits), such as: comms snippet.search renewal");
    }
    return String.join(" ", words);
  }

  // ------------------------------------------------------------------------------ sequences

  /**
   * Why a sequence owned by {@code owner} may not pin ID@VERSION on a stage sent by {@code medium}
   * (no such version, private to another operator, shared and not co-signed, another channel); empty
   * when it may.
   */
  public Optional<String> pinRefusal(String owner, String ref, String medium) {
    Matcher m = REF.matcher(ref.strip());
    if (!m.matches()) {
      return Optional.of("'" + ref + "' is not a snippet version; write ID@VERSION such as renewal@2");
    }
    Optional<SnippetVersion> v = store.find(m.group(1), Integer.parseInt(m.group(2)));
    if (v.isEmpty()) {
      return Optional.of("there is no snippet version " + ref + "; comms snippet.list and comms snippet.show ID show the versions");
    }
    return SnippetAccess.pin(owner, v.get(), medium);
  }

  /** ID@VERSION as a template the governed path renders like any catalog template, routed as {@code messageType}. */
  public Optional<TemplatesCatalog.Template> template(String ref, String messageType) {
    Matcher m = REF.matcher(ref.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return store.find(m.group(1), Integer.parseInt(m.group(2))).map(v -> template(v, messageType));
  }

  /** A version as a template: its id is {@code snippet:ID@VERSION}, its variables the declared ones. */
  public static TemplatesCatalog.Template template(SnippetVersion v, String messageType) {
    return new TemplatesCatalog.Template(
        new Source("snippet " + v.ref(), 0, 0, ""), "snippet:" + v.ref(), messageType, v.channel(), v.variables(), v.subject(), v.body(), null);
  }

  // ------------------------------------------------------------------------------ plumbing

  private SnippetVersion latest(Identity who, String id) {
    return store.latest(id.strip()).filter(v -> SnippetAccess.visible(who, v)).orElseThrow(() -> unknown(id));
  }

  private SnippetVersion version(Identity who, String ref) {
    Matcher m = REF.matcher(ref.strip());
    if (!m.matches()) {
      throw CommsException.usage("'" + ref + "' is not a snippet version; write ID@VERSION such as renewal@2 (comms snippet.show ID lists them)");
    }
    return store.find(m.group(1), Integer.parseInt(m.group(2))).filter(v -> SnippetAccess.visible(who, v)).orElseThrow(() -> unknown(ref));
  }

  /** Not there, or not readable by this operator (the same answer, so a private id is not confirmed): exit 2, 404 over HTTP. */
  private static CommsException unknown(String id) {
    return new comms.core.Refused(comms.core.Refused.Why.NOT_FOUND, ExitCode.USAGE, "there is no snippet " + id.strip() + " you can read; comms snippet.list shows yours and the shared ones");
  }

  /** The version after every rule a body, subject, name and variable list must meet. */
  private static SnippetVersion checked(SnippetVersion v, String bodyFile) {
    String name = v.name().strip();
    if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
      throw CommsException.usage("--name must be 1 to " + MAX_NAME + " characters on one line, without control characters");
    }
    if (!CHANNELS.contains(v.channel())) {
      throw CommsException.usage("--channel '" + v.channel() + "' is not one snippets are written for; use email or sms");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String var : v.variables()) {
      if (!SnippetText.VARIABLE_NAME.matcher(var).matches()) {
        throw CommsException.usage("--variables: '" + var + "' is not a variable name; use letters, digits and _, starting with a letter or _");
      }
      if (!seen.add(var)) {
        throw CommsException.usage("--variables names " + var + " twice; name each variable once");
      }
    }
    String subject = v.subject() == null ? null : v.subject().strip();
    if (v.channel().equals("email") && (subject == null || subject.isEmpty())) {
      throw CommsException.usage("an email snippet needs --subject (it may use the declared variables too)");
    }
    if (v.channel().equals("sms") && subject != null) {
      throw CommsException.usage("an sms snippet has no subject; leave out --subject");
    }
    if (v.body().isBlank()) {
      throw CommsException.usage(bodyFile + " is empty; a snippet needs a body");
    }
    if (subject != null) {
      if (subject.chars().anyMatch(Character::isISOControl)) {
        throw CommsException.usage("--subject must be one line without control characters");
      }
      SnippetText.check("--subject", subject, v.variables());
    }
    SnippetText.check(bodyFile, v.body(), v.variables());
    return new SnippetVersion(v.id(), v.version(), v.parentId(), v.owner(), v.author(), name, v.channel(), subject, v.body(), v.variables(),
        v.shared(), v.createdAt(), null, null);
  }

  private static AuditTrail.Action action(String verb, SnippetVersion v) {
    return AuditTrail.Action.of(verb, "snippet", v.id())
        .with("version", v.version())
        .with("channel", v.channel())
        .with("shared", v.shared())
        .with("variable_count", v.variables().size())
        .with("body_sha256", "sha256:" + Sha256.hex(v.body()));
  }

  /**
   * The id a new snippet gets from its name, so a person can type it in a stage (snippet: renewal@2):
   * the name in lower case with _ for anything but letters and digits, numbered when taken (renewal_2);
   * a random snip_ id when the name has no such letters.
   */
  String idFor(String name) {
    String slug = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    if (slug.length() > 40) {
      slug = slug.substring(0, 40).replaceAll("_+$", "");
    }
    if (slug.isEmpty()) {
      return newId();
    }
    String id = slug;
    for (int n = 2; store.latest(id).isPresent(); n++) {
      id = slug + "_" + n;
    }
    return id;
  }

  static String newId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return "snip_" + HexFormat.of().formatHex(b);
  }
}
