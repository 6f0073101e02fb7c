package dev.threadline.agent.it.pool;

import dev.threadline.agent.it.app.ShopApplication;
import java.sql.Statement;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.SpringApplication;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shop with a HikariCP pool that starts with one connection and grows to {@link #HOLDERS}: each
 * connection the pool opens runs {@link #INIT_SQL} on HikariCP's connection-adder thread, and lives
 * 30 s (HikariCP's shortest lifetime) before HikariCP's housekeeper retires it and the pool opens
 * another. {@code /pool/hold} holds a connection until {@link #HOLDERS} requests hold one at once,
 * so the pool must open new connections while those requests wait. {@code args[0]} is the port.
 */
@RestController
public class PoolThreadsScenario {
  /** Requests that hold a connection at the same time; the pool's largest size. */
  public static final int HOLDERS = 6;

  /** What HikariCP runs on every connection it opens (a JDBC span of the pool's own). */
  public static final String INIT_SQL = "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS";

  private static final CyclicBarrier ALL_HOLDING = new CyclicBarrier(HOLDERS);
  private final JdbcTemplate jdbc;

  public PoolThreadsScenario(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public static void main(String[] args) {
    SpringApplication.run(
        new Class<?>[] {ShopApplication.class, PoolThreadsScenario.class},
        new String[] {
          "--server.port=" + args[0],
          "--spring.datasource.hikari.minimum-idle=1",
          "--spring.datasource.hikari.maximum-pool-size=" + HOLDERS,
          "--spring.datasource.hikari.max-lifetime=30000",
          "--spring.datasource.hikari.connection-init-sql=" + INIT_SQL,
        });
  }

  /** Holds a connection until every holder has one, then queries on it; answers the thread. */
  @GetMapping("/pool/hold")
  public String hold() {
    return jdbc.execute(
        (ConnectionCallback<String>)
            connection -> {
              try {
                ALL_HOLDING.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("not every holder got a connection", e);
              }
              try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT name FROM items WHERE id = 42");
              }
              return Thread.currentThread().getName();
            });
  }
}
