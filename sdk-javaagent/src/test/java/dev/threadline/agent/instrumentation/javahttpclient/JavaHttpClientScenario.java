package dev.threadline.agent.instrumentation.javahttpclient;

import dev.threadline.agent.TargetServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Calls the target server with {@code java.net.http.HttpClient}: {@code send} to {@code /ok},
 * {@code sendAsync} to {@code /fail}. Runs in a JVM of its own with the agent attached, as an
 * application would, knowing nothing of tracing.
 */
public final class JavaHttpClientScenario {
  private JavaHttpClientScenario() {}

  public static void main(String[] args) throws Exception {
    try (TargetServer server = new TargetServer()) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> sync =
          client.send(
              HttpRequest.newBuilder(URI.create(server.url("/ok"))).build(),
              HttpResponse.BodyHandlers.ofString());
      System.out.println("status /ok " + sync.statusCode());
      HttpResponse<String> async =
          client
              .sendAsync(
                  HttpRequest.newBuilder(URI.create(server.url("/fail"))).build(),
                  HttpResponse.BodyHandlers.ofString())
              .get();
      System.out.println("status /fail " + async.statusCode());
    }
    System.out.println("scenario done");
  }
}
