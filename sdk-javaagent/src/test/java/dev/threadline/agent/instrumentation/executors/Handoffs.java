package dev.threadline.agent.instrumentation.executors;

import dev.threadline.agent.TargetServer;
import dev.threadline.agent.bootstrap.http.ServerSpan;
import dev.threadline.agent.bootstrap.http.ServerSpans;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * What every hand-off pattern does: a request (a SERVER span started through the agent's own
 * servlet facade, as its advice would) hands work to another thread, which makes a real outgoing
 * call: HTTP to the target server or a JDBC query on H2. The test then checks the call's CLIENT
 * span is a child of the request's SERVER span. Each prints the thread it runs on ({@code request
 * <pattern> thread=<id>/<name>}, {@code call <pattern> thread=...}), so the test can check the call
 * really ran on another thread.
 */
final class Handoffs implements AutoCloseable {
  static final String DB_URL = "jdbc:h2:mem:handoff;DB_CLOSE_DELAY=-1";

  private final TargetServer server;
  private final Connection setup;

  Handoffs() throws Exception {
    server = new TargetServer();
    setup = DriverManager.getConnection(DB_URL, "sa", "");
  }

  /**
   * Runs {@code body} inside a SERVER span for {@code /matrix/<pattern>}, which ends when {@code
   * body} returns.
   */
  void request(String pattern, ThrowingRunnable body) throws Exception {
    String[] headers = ServerSpans.propagationHeaders();
    ServerSpan span =
        ServerSpans.start(
            headers,
            new String[headers.length],
            "GET",
            "http",
            "localhost",
            8080,
            "/matrix/" + pattern,
            null,
            "127.0.0.1",
            "handoff-matrix",
            "1.1");
    System.out.println("request " + pattern + " thread=" + threadId());
    try {
      body.run();
    } finally {
      span.closeScope();
      span.end(200, null);
    }
  }

  /** An outgoing HTTP call marked with the pattern's name ({@code /ok?p=<pattern>}). */
  void httpCall(String pattern) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) new URL(server.url("/ok?p=" + pattern)).openConnection();
      try (InputStream body = connection.getInputStream()) {
        body.readAllBytes();
      }
      System.out.println("call " + pattern + " thread=" + threadId());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates the table the JDBC pattern queries, outside any request. */
  void table(String pattern) throws Exception {
    try (Statement statement = setup.createStatement()) {
      statement.execute("CREATE TABLE " + table_(pattern) + " (id INT)");
    }
  }

  /**
   * An outgoing JDBC query on the pattern's own table ({@code db.collection.name} names the
   * pattern).
   */
  void jdbcCall(String pattern) {
    try (Connection connection = DriverManager.getConnection(DB_URL, "sa", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table_(pattern))) {
      rows.next();
      System.out.println("call " + pattern + " thread=" + threadId());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The calling thread, as the matrix compares it: id and name (a virtual thread's name is empty).
   */
  @SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; the scenarios also run on 17
  static String threadId() {
    Thread thread = Thread.currentThread();
    return thread.getId() + "/" + thread.getName();
  }

  static String table_(String pattern) {
    return "t_" + pattern.replace('-', '_');
  }

  @Override
  public void close() throws Exception {
    setup.close();
    server.close();
  }

  /** A request body that may throw. */
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
