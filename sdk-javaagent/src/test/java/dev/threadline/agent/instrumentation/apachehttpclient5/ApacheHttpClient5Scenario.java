package dev.threadline.agent.instrumentation.apachehttpclient5;

import dev.threadline.agent.TargetServer;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;

/**
 * Calls the target server once with Apache HttpClient 5 classic ({@code GET /ok?q=1}). Runs in a
 * JVM of its own with the agent attached, as an application would, knowing nothing of tracing.
 */
public final class ApacheHttpClient5Scenario {
  private ApacheHttpClient5Scenario() {}

  public static void main(String[] args) throws Exception {
    try (TargetServer server = new TargetServer();
        CloseableHttpClient client = HttpClients.createDefault()) {
      int status =
          client.execute(new HttpGet(server.url("/ok?q=1")), response -> response.getCode());
      System.out.println("status /ok " + status);
    }
    System.out.println("scenario done");
  }
}
