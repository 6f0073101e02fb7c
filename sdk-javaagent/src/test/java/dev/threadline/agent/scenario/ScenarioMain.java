package dev.threadline.agent.scenario;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;

/**
 * Small applications run in a JVM of their own with the agent attached: each uses one instrumented
 * library the way an application would, knowing nothing of tracing.
 */
public final class ScenarioMain {
  private ScenarioMain() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "http-url-connection":
        httpUrlConnection();
        break;
      case "java-http-client":
        javaHttpClient();
        break;
      case "apache-httpclient-5":
        apacheHttpClient();
        break;
      case "jdbc":
        jdbc();
        break;
      case "handoff":
        HandoffScenario.run();
        break;
      case "handoff-leaks":
        LeakScenario.run();
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
    System.out.println("scenario done");
  }

  private static void httpUrlConnection() throws Exception {
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
  }

  private static void javaHttpClient() throws Exception {
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
  }

  private static void apacheHttpClient() throws Exception {
    try (TargetServer server = new TargetServer();
        CloseableHttpClient client = HttpClients.createDefault()) {
      int status =
          client.execute(new HttpGet(server.url("/ok?q=1")), response -> response.getCode());
      System.out.println("status /ok " + status);
    }
  }

  private static void jdbc() throws Exception {
    try (Connection connection =
        DriverManager.getConnection("jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1", "sa", "")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(64), price DECIMAL(10,2))");
        statement.executeUpdate("INSERT INTO items VALUES (1, 'secret-coffee', 4.50)");
      }
      try (PreparedStatement query =
          connection.prepareStatement("SELECT name FROM items WHERE id = ?")) {
        query.setInt(1, 1);
        try (ResultSet rows = query.executeQuery()) {
          rows.next();
          System.out.println("item " + rows.getString(1));
        }
      }
    }
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1");
    config.setUsername("sa");
    try (com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(config);
        Connection connection = pool.getConnection();
        PreparedStatement query =
            connection.prepareStatement("SELECT price FROM items WHERE name = 'x' OR id = ?")) {
      query.setInt(1, 1);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        System.out.println("pooled price " + rows.getBigDecimal(1));
      }
    }
  }
}
