package dev.threadline.agent.advice;

import dev.threadline.agent.TargetServer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;

/**
 * An application request class that refuses the {@code traceparent} header the Apache HttpClient 5
 * advice sets: the advice throws inside the application's {@code doExecute}. Then a plain request
 * on the same client (the instrumentation must be off by now), and an {@code HttpURLConnection}
 * call (another instrumentation, still on: its span is the marker the test waits for).
 */
public final class AdviceFailureScenario {
  private AdviceFailureScenario() {}

  public static void main(String[] args) throws Exception {
    try (TargetServer server = new TargetServer();
        CloseableHttpClient client = HttpClients.createDefault()) {
      for (int i = 1; i <= 2; i++) {
        int status =
            client.execute(new RefusingGet(server.url("/refusing-" + i)), r -> r.getCode());
        System.out.println("refusing " + i + " status " + status);
      }
      int status = client.execute(new HttpGet(server.url("/plain")), r -> r.getCode());
      System.out.println("plain status " + status);
      HttpURLConnection other = (HttpURLConnection) new URL(server.url("/other")).openConnection();
      try (InputStream body = other.getInputStream()) {
        body.readAllBytes();
      }
      System.out.println("other status " + other.getResponseCode());
    }
    System.out.println("scenario done");
  }

  /** The application's request type; it never sets {@code traceparent} itself. */
  static final class RefusingGet extends HttpGet {
    private static final long serialVersionUID = 1L;

    RefusingGet(String uri) {
      super(uri);
    }

    @Override
    public void setHeader(String name, Object value) {
      if ("traceparent".equalsIgnoreCase(name)) {
        throw new IllegalStateException("application refuses header " + name);
      }
      super.setHeader(name, value);
    }
  }
}
