package dev.threadline.agent.export;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * {@code args[0]} JDBC statements on an in-memory H2 database, one after the other on the main
 * thread (each is a root CLIENT span with the agent attached); prints how long they took in all and
 * the slowest one, then waits until its standard input is closed, so the test can read the agent's
 * meters while the process lives.
 */
public final class ExportQueueScenario {
  private ExportQueueScenario() {}

  public static void main(String[] args) throws Exception {
    int calls = Integer.parseInt(args[0]);
    long slowest = 0;
    long start = System.nanoTime();
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:queue", "sa", "");
        Statement statement = connection.createStatement()) {
      for (int i = 0; i < calls; i++) {
        long before = System.nanoTime();
        statement.execute("SELECT 1");
        slowest = Math.max(slowest, System.nanoTime() - before);
      }
    }
    System.out.println(
        "calls done "
            + calls
            + " total_ms="
            + (System.nanoTime() - start) / 1_000_000
            + " slowest_ms="
            + slowest / 1_000_000);
    System.out.flush();
    while (System.in.read() != -1) {
      // the test closes the stream when it is done
    }
    System.out.println("scenario done");
  }
}
