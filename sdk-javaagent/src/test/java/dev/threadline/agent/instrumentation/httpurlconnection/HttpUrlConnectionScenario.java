package dev.threadline.agent.instrumentation.httpurlconnection;

import dev.threadline.agent.TargetServer;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * Calls the target server with {@code HttpURLConnection}: {@code /ok} (200), then {@code /fail}
 * (503). Runs in a JVM of its own with the agent attached, as an application would, knowing nothing
 * of tracing.
 */
public final class HttpUrlConnectionScenario {
  private HttpUrlConnectionScenario() {}

  public static void main(String[] args) throws Exception {
    try (TargetServer server = new TargetServer()) {
      for (String path : new String[] {"/ok", "/fail"}) {
        HttpURLConnection connection =
            (HttpURLConnection) new URL(server.url(path)).openConnection();
        int status = connection.getResponseCode();
        try (InputStream body =
            status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
          body.readAllBytes();
        }
        System.out.println("status " + path + " " + status);
      }
    }
    System.out.println("scenario done");
  }
}
