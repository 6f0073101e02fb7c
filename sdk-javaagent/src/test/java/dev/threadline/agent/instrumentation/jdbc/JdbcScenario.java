package dev.threadline.agent.instrumentation.jdbc;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Statements, a prepared statement, and a prepared statement through a HikariCP pool, on an
 * in-memory H2 database (literals carry a secret the spans must not show). Runs in a JVM of its own
 * with the agent attached, as an application would, knowing nothing of tracing.
 */
public final class JdbcScenario {
  private JdbcScenario() {}

  public static void main(String[] args) throws Exception {
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
        System.out.println("driver statement holds its query: " + holdsItsQuery(query));
        System.out.println("driver connection holds its database: " + databaseHeldBy(connection));
        System.out.println("statements remembered while open: " + statementsRememberedByAgent());
      }
    }
    // All closed: the agent must have forgotten the statement already, without waiting for a
    // collection.
    System.out.println("statements remembered after close: " + statementsRememberedByAgent());
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
      System.out.println("pooled statement holds its query: " + holdsItsQuery(query));
    }
    // The proxy's close is the one that forgets it (the driver's beneath was never remembered).
    System.out.println(
        "pooled statements remembered after close: " + statementsRememberedByAgent());
    System.out.println("connections remembered in the map: " + rememberedByAgent("Connections"));
    System.out.println("scenario done");
  }

  /** Whether the agent gave the statement's class a field for its query as the class loaded. */
  private static boolean holdsItsQuery(Object statement) throws ReflectiveOperationException {
    Class<?> holder =
        Class.forName("dev.threadline.agent.bootstrap.jdbc.PreparedQueryHolder", false, null);
    return holder.isInstance(statement);
  }

  /**
   * The database the agent keeps in the field it gave the connection's class as the class loaded,
   * or "no field".
   */
  private static String databaseHeldBy(Connection connection) throws ReflectiveOperationException {
    Class<?> holder =
        Class.forName("dev.threadline.agent.bootstrap.jdbc.ConnectionUrlHolder", false, null);
    if (!holder.isInstance(connection)) {
      return "no field";
    }
    Object url = holder.getMethod("threadline$databaseUrl").invoke(connection);
    return url == null ? "null" : (String) url.getClass().getMethod("namespace").invoke(url);
  }

  /** Prepared statements the agent's JDBC helper holds (its diagnostics, on the boot path). */
  private static int statementsRememberedByAgent() throws ReflectiveOperationException {
    return rememberedByAgent("Statements");
  }

  private static int rememberedByAgent(String what) throws ReflectiveOperationException {
    Method remembered =
        Class.forName("dev.threadline.agent.bootstrap.jdbc.JdbcSpans", true, null)
            .getDeclaredMethod("remembered" + what);
    remembered.setAccessible(true);
    return (int) remembered.invoke(null);
  }
}
