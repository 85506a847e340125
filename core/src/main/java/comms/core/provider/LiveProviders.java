package comms.core.provider;

import comms.core.CommsException;
import comms.core.ExitCode;
import comms.core.contract.DeliveryContract;
import comms.core.contract.ProvidersContract;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the live adapter for a provider in the providers contract (Twilio → {@link TwilioSms},
 * Resend → {@link ResendEmail}, Microsoft Graph → {@link GraphMailbox}), after checking that every
 * secret it needs is in the environment. Nothing here touches an SDK class until a live adapter is
 * actually built, so simulated runs never load them.
 */
public final class LiveProviders {
  private final Map<String, String> env;
  private final RetryPolicy retry;
  private final HttpTrace trace;

  public LiveProviders(Map<String, String> env, RetryPolicy retry, HttpTrace trace) {
    SdkQuiet.apply();
    this.env = Map.copyOf(env);
    this.retry = retry;
    this.trace = trace == null ? HttpTrace.NONE : trace;
  }

  /** The usual set-up: the contract's retry settings with real waits, {@code progress} told before each wait. */
  public static LiveProviders of(
      Map<String, String> env, DeliveryContract.Retry retry, Clock clock, HttpTrace trace, Consumer<RetryPolicy.Wait> progress) {
    LiveProviders live = new LiveProviders(env, RetryPolicy.of(retry, clock, progress), trace);
    live.clock = clock;
    return live;
  }

  /** The live SMS or email provider (Twilio or Resend). */
  public Provider provider(ProvidersContract.Provider p) {
    Map<String, String> s = secrets(p);
    return switch (p.kind()) {
      case "twilio" -> new TwilioSms(p, s.get("account_sid"), s.get("auth_token"), retry, trace);
      case "resend" -> new ResendEmail(p, s.get("api_key"), retry, trace);
      case "gmail" -> gmail(p, operatorTokens, clock);
      default -> throw CommsException.config(
          "provider " + p.name() + " is of kind " + p.kind() + ", which sends no SMS or email; route the message to a twilio or resend provider");
    };
  }

  private java.util.function.Function<String, String> operatorTokens = user -> null;
  private Clock clock;

  /**
   * Where a gmail provider signing in with OAuth refresh tokens finds each user's token (the operators
   * contract names the variable per operator), and the clock the messages are dated by.
   */
  public LiveProviders gmailUsers(java.util.function.Function<String, String> refreshTokenVariable, Clock c) {
    this.operatorTokens = user -> {
      String var = refreshTokenVariable.apply(user);
      return var == null ? null : env.get(var);
    };
    this.clock = c;
    return this;
  }

  /**
   * A Gmail mailbox backend: a service account with domain-wide delegation (role
   * {@code service_account_key_file}: the variable holding the key file's path) or an OAuth client
   * ({@code client_id}, {@code client_secret}) with each user's refresh token.
   */
  public GmailMailbox gmail(ProvidersContract.Provider p) {
    return gmail(p, operatorTokens, clock);
  }

  private GmailMailbox gmail(ProvidersContract.Provider p, java.util.function.Function<String, String> refreshTokens, Clock c) {
    if (!p.kind().equals("gmail")) {
      throw CommsException.config("provider " + p.name() + " is of kind " + p.kind() + ", not gmail");
    }
    if (c == null) {
      throw new IllegalStateException("a Gmail mailbox dates its messages by the run's clock: call gmailUsers first");
    }
    Map<String, String> s = secrets(p);
    GoogleTokens tokens =
        s.containsKey("service_account_key_file")
            ? GoogleTokens.serviceAccount(java.nio.file.Path.of(s.get("service_account_key_file")), p.env().get("service_account_key_file"), p.tokenUrl())
            : GoogleTokens.refreshTokens(s.get("client_id"), s.get("client_secret"), refreshTokens, p.tokenUrl());
    SecretMask mask = new SecretMask(new ArrayList<>(s.values()));
    return new GmailMailbox(new GmailApi(p, tokens, retry, mask.apply(trace)), c);
  }

  /** The live pilot-mailbox backend (Microsoft Graph). */
  public GraphMailbox mailbox(ProvidersContract.Provider p) {
    if (!p.kind().equals("microsoft-graph")) {
      throw CommsException.config(
          "provider " + p.name() + " is of kind " + p.kind() + ", not microsoft-graph; the pilot mailboxes need a microsoft-graph provider");
    }
    Map<String, String> s = secrets(p);
    return new GraphMailbox(p, s.get("tenant_id"), s.get("client_id"), s.get("client_secret"), retry, trace);
  }

  /** The env roles a provider needs, in the order they are reported (gmail: a service-account key file, else an OAuth client). */
  static List<String> roles(ProvidersContract.Provider p) {
    if (p.kind().equals("gmail")) {
      return p.env().containsKey("service_account_key_file") ? List.of("service_account_key_file") : List.of("client_id", "client_secret");
    }
    return roles(p.kind());
  }

  /** The env roles each kind needs (role → what it is), in the order they are reported. */
  static List<String> roles(String kind) {
    return switch (kind) {
      case "twilio" -> List.of("account_sid", "auth_token");
      case "resend" -> List.of("api_key");
      case "microsoft-graph" -> List.of("tenant_id", "client_id", "client_secret");
      default -> List.of();
    };
  }

  /**
   * The provider's secrets by role, or exit 3 naming every variable that is not set (names only:
   * the values are never shown) and every role the contract does not name a variable for.
   */
  Map<String, String> secrets(ProvidersContract.Provider p) {
    List<String> undeclared = new ArrayList<>();
    for (String role : roles(p)) {
      if (!p.env().containsKey(role)) {
        undeclared.add(role);
      }
    }
    if (!undeclared.isEmpty()) {
      throw new CommsException(
          ExitCode.CONTRACT,
          "provider " + p.name() + " in the providers contract (" + p.source().where() + ") names no environment variable for "
              + String.join(", ", undeclared) + "; add env." + undeclared.get(0) + ": SOME_VARIABLE_NAME and set that variable");
    }
    List<String> missing = missing(p, env);
    if (!missing.isEmpty()) {
      throw new CommsException(
          ExitCode.CONTRACT,
          "live " + p.name() + " needs " + String.join(", ", missing) + " in the environment, which "
              + (missing.size() == 1 ? "is" : "are") + " not set; nothing was sent. Set "
              + (missing.size() == 1 ? "it" : "them") + " (see comms provider.status) or switch the contract back to simulation");
    }
    Map<String, String> out = new LinkedHashMap<>();
    p.env().forEach((role, var) -> out.put(role, env.get(var)));
    return out;
  }

  /** The names of the provider's environment variables that are unset or blank. */
  public static List<String> missing(ProvidersContract.Provider p, Map<String, String> env) {
    List<String> out = new ArrayList<>();
    p.env().forEach((role, var) -> {
      String v = env.get(var);
      if (v == null || v.isBlank()) {
        out.add(var);
      }
    });
    return out;
  }
}
