package comms.core.provider.graph;

import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.EmailAddress;
import com.microsoft.graph.models.InternetMessageHeader;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.models.MessageCollectionResponse;
import com.microsoft.graph.models.Recipient;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.authentication.AuthenticationProvider;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import comms.core.mail.MailboxSearch;
import comms.core.provider.GraphSdk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import okhttp3.OkHttpClient;

/**
 * {@link GraphSdk} on Microsoft Graph's v6 Java SDK. It is packaged in {@code comms-graph.jar} with
 * the SDK and must use only public types of comms (it is loaded by its own class loader there).
 */
public final class SdkGraph implements GraphSdk {
  /** Graph's error answers as ODataError, as the generated request builders map them. */
  private static final HashMap<String, ParsableFactory<? extends Parsable>> ERRORS = new HashMap<>();

  static {
    ERRORS.put("XXX", ODataError::createFromDiscriminatorValue);
  }

  private final GraphServiceClient graph;

  public SdkGraph(AuthenticationProvider auth, OkHttpClient http, String baseUrl) {
    this.graph = new GraphServiceClient(auth, http);
    graph.getRequestAdapter().setBaseUrl(baseUrl);
  }

  @Override
  public void getUser(String mailbox) {
    // Read as plain JSON by the caller: a probe asks only "is there a user with an id here", and
    // must not fail on some unrelated property of the large user model that the typed reader dislikes.
    RequestInformation info =
        graph.users().byUserId(mailbox).toGetRequestInformation(rc -> rc.queryParameters.select = new String[] {"id", "displayName", "mail"});
    InputStream in = graph.getRequestAdapter().sendPrimitive(info, ERRORS, InputStream.class);
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public List<MailboxSearch.Hit> messages(String mailbox, String kql, int top) {
    MessageCollectionResponse r =
        graph.users().byUserId(mailbox).messages().get(rc -> {
          rc.queryParameters.top = top;
          rc.queryParameters.select = new String[] {"id", "from", "subject", "receivedDateTime"};
          if (kql == null) {
            rc.queryParameters.orderby = new String[] {"receivedDateTime desc"};
          } else {
            rc.queryParameters.search = kql;
          }
        });
    if (r == null) {
      return null;
    }
    List<MailboxSearch.Hit> hits = new ArrayList<>();
    for (Message m : r.getValue() == null ? List.<Message>of() : r.getValue()) {
      String from = m.getFrom() == null || m.getFrom().getEmailAddress() == null ? "" : nz(m.getFrom().getEmailAddress().getAddress());
      String received = m.getReceivedDateTime() == null ? "" : m.getReceivedDateTime().toInstant().toString();
      hits.add(new MailboxSearch.Hit(mailbox, nz(m.getId()), from, nz(m.getSubject()), received));
    }
    return hits;
  }

  @Override
  public void sendMail(String from, String to, String subject, String body, String headerName, String headerValue) {
    Message m = new Message();
    m.setSubject(subject);
    ItemBody b = new ItemBody();
    b.setContentType(BodyType.Text);
    b.setContent(body);
    m.setBody(b);
    Recipient r = new Recipient();
    EmailAddress a = new EmailAddress();
    a.setAddress(to);
    r.setEmailAddress(a);
    m.setToRecipients(List.of(r));
    InternetMessageHeader h = new InternetMessageHeader();
    h.setName(headerName);
    h.setValue(headerValue);
    m.setInternetMessageHeaders(List.of(h));
    SendMailPostRequestBody request = new SendMailPostRequestBody();
    request.setMessage(m);
    // The SDK's default is false, which would leave no trace in the mailbox.
    request.setSaveToSentItems(true);
    graph.users().byUserId(from).sendMail().post(request);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
