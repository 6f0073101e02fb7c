package dev.threadline.agent.advice;

import dev.threadline.agent.TargetServer;
import dev.threadline.agent.bootstrap.http.ServerSpan;
import dev.threadline.agent.bootstrap.http.ServerSpans;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;

/**
 * Instrumented calls that fail, inside a request: a JDBC query on a missing table, HTTP calls to a
 * server answering 503 and to a closed port, and a task throwing the application's own exception on
 * a pool. Prints what the application caught, one {@code threw <call> ...} line each (ports
 * replaced by placeholders), so that a run with the agent can be compared with one without.
 */
public final class ApplicationExceptionsScenario {
  private ApplicationExceptionsScenario() {}

  public static void main(String[] args) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try (TargetServer server = new TargetServer();
        CloseableHttpClient client = HttpClients.createDefault()) {
      String serverPort = server.url("").replaceAll(".*:", "");
      AutoCloseable request = request();
      try {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:failures", "sa", "");
            Statement statement = connection.createStatement()) {
          statement.executeQuery("SELECT * FROM missing");
        } catch (Exception e) {
          report("jdbc", e, serverPort, closedPort);
        }
        try {
          HttpURLConnection connection =
              (HttpURLConnection) new URL(server.url("/fail")).openConnection();
          try (InputStream body = connection.getInputStream()) {
            body.readAllBytes();
          }
        } catch (Exception e) {
          report("http-url-connection-503", e, serverPort, closedPort);
        }
        try {
          HttpURLConnection connection =
              (HttpURLConnection) new URL("http://127.0.0.1:" + closedPort + "/").openConnection();
          connection.getInputStream().close();
        } catch (Exception e) {
          report("http-url-connection-refused", e, serverPort, closedPort);
        }
        try {
          client.execute(
              new HttpGet("http://127.0.0.1:" + closedPort + "/"), response -> response.getCode());
        } catch (Exception e) {
          report("apache-httpclient-5-refused", e, serverPort, closedPort);
        }
        IllegalStateException mine = new IllegalStateException("the application's own failure");
        try {
          pool.submit(
                  () -> {
                    throw mine;
                  })
              .get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          report("executor", e.getCause(), serverPort, closedPort);
          System.out.println("executor cause is the thrown instance: " + (e.getCause() == mine));
        }
      } finally {
        request.close();
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.println("scenario done");
  }

  /** What the application sees of {@code e}: type, message, cause, suppressed, throwing frame. */
  private static void report(String call, Throwable e, String serverPort, int closedPort) {
    StackTraceElement top = e.getStackTrace()[0];
    String line =
        "threw "
            + call
            + " type="
            + e.getClass().getName()
            + " message="
            + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
            + " cause="
            + (e.getCause() == null ? null : e.getCause().getClass().getName())
            + " suppressed="
            + e.getSuppressed().length
            + " at="
            + top.getClassName()
            + "."
            + top.getMethodName();
    System.out.println(
        line.replace(":" + serverPort, ":<server>").replace(":" + closedPort, ":<closed>"));
  }

  /**
   * A SERVER span made current, as the servlet advice would for an incoming request; nothing when
   * the agent is not attached (its classes are then missing).
   */
  private static AutoCloseable request() {
    try {
      return AgentRequest.start();
    } catch (NoClassDefFoundError withoutAgent) {
      return () -> {};
    }
  }

  /** Touches the agent's classes only when called. */
  private static final class AgentRequest {
    static AutoCloseable start() {
      String[] headers = ServerSpans.propagationHeaders();
      ServerSpan span =
          ServerSpans.start(
              headers,
              new String[headers.length],
              "GET",
              "http",
              "localhost",
              8080,
              "/failures",
              null,
              "127.0.0.1",
              "failures",
              "1.1");
      return () -> {
        span.closeScope();
        span.end(200, null);
      };
    }
  }
}
