package comms.core.provider;

import comms.core.CommsException;
import comms.core.mail.MailboxSearch;
import com.microsoft.kiota.authentication.AuthenticationProvider;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.OkHttpClient;

/**
 * The calls {@link GraphMailbox} makes through Microsoft Graph's generated Java SDK, behind an
 * interface so the SDK can live outside comms.jar.
 *
 * <p>Why: the SDK is 50 000 classes, and every comms start opens its jar and reads the jar's whole
 * directory (the JDK's time-zone and service lookups search the class path), whether or not the run
 * touches Graph. So the build puts the SDK and {@code comms.core.provider.graph} into
 * {@code comms-graph.jar} beside {@code comms.jar}, and {@link #load} reaches it with its own class
 * loader the first time a pilot mailbox is used. On a class path that has the SDK (the tests, an
 * IDE) the implementation is loaded the ordinary way.
 */
public interface GraphSdk {
  /** The implementation's class, in {@code comms-graph.jar}. */
  String IMPLEMENTATION = "comms.core.provider.graph.SdkGraph";

  /** The jar that holds the SDK, next to the jar that holds this class. */
  String JAR = "comms-graph.jar";

  /**
   * {@code GET users/{mailbox}?$select=id,displayName,mail}, read as a stream and closed: the
   * caller reads the answer from the exchange its HTTP client recorded.
   */
  void getUser(String mailbox);

  /**
   * {@code GET users/{mailbox}/messages}: {@code top} messages, newest first when {@code kql} is
   * null, else those matching {@code $search=kql}. Null when the SDK read no message list.
   */
  List<MailboxSearch.Hit> messages(String mailbox, String kql, int top);

  /** {@code POST users/{from}/sendMail}: plain text, saved to Sent Items, with one extra internet header. */
  void sendMail(String from, String to, String subject, String body, String headerName, String headerValue);

  /** The SDK's client, built on {@code auth} and {@code http}, sending to {@code baseUrl}. */
  static GraphSdk load(AuthenticationProvider auth, OkHttpClient http, String baseUrl) {
    Class<?> impl = implementation();
    try {
      return (GraphSdk) impl.getConstructor(AuthenticationProvider.class, OkHttpClient.class, String.class).newInstance(auth, http, baseUrl);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("the Graph SDK could not be set up: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the Graph SDK in " + JAR + " does not match this comms: " + e, e);
    }
  }

  private static Class<?> implementation() {
    ClassLoader own = GraphSdk.class.getClassLoader();
    try {
      return Class.forName(IMPLEMENTATION, true, own);
    } catch (ClassNotFoundException | NoClassDefFoundError notHere) {
      return Holder.fromJar();
    }
  }

  /** The loader for comms-graph.jar, made once per process. */
  final class Holder {
    private static Class<?> loaded;

    private Holder() {}

    static synchronized Class<?> fromJar() {
      if (loaded != null) {
        return loaded;
      }
      Path jar = besideOwnJar();
      if (jar == null || !Files.isRegularFile(jar)) {
        throw CommsException.config(
            "Microsoft Graph support is not in this build: " + (jar == null ? JAR : jar.toString()) + " is missing;"
                + " rebuild comms (mvn -DskipTests package) so the pilot mailboxes can be reached");
      }
      try {
        // Parent first: the SDK's own dependencies (Kiota, OkHttp, azure-identity) and comms come from comms.jar.
        URLClassLoader loader = new URLClassLoader("comms-graph", new URL[] {jar.toUri().toURL()}, GraphSdk.class.getClassLoader());
        loaded = Class.forName(IMPLEMENTATION, true, loader);
        return loaded;
      } catch (MalformedURLException | ClassNotFoundException e) {
        throw CommsException.config(jar + " does not hold the Graph SDK comms needs (" + e.getMessage() + "); rebuild comms (mvn -DskipTests package)");
      }
    }

    private static Path besideOwnJar() {
      try {
        var source = GraphSdk.class.getProtectionDomain().getCodeSource();
        if (source == null) {
          return null;
        }
        Path own = Path.of(source.getLocation().toURI());
        return Files.isRegularFile(own) ? own.resolveSibling(JAR) : null;
      } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
        return null;
      }
    }
  }
}
