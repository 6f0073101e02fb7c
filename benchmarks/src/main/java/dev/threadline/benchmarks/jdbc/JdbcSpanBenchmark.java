package dev.threadline.benchmarks.jdbc;

import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.CallDepth;
import dev.threadline.agent.bootstrap.jdbc.JdbcQuery;
import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import dev.threadline.agent.bootstrap.jdbc.JdbcUrl;
import dev.threadline.agent.bootstrap.jdbc.PreparedQueryHolder;
import dev.threadline.agent.shaded.io.opentelemetry.api.trace.Span;
import dev.threadline.agent.shaded.io.opentelemetry.context.Context;
import dev.threadline.agent.shaded.io.opentelemetry.sdk.OpenTelemetrySdk;
import dev.threadline.agent.shaded.io.opentelemetry.sdk.trace.ReadWriteSpan;
import dev.threadline.agent.shaded.io.opentelemetry.sdk.trace.ReadableSpan;
import dev.threadline.agent.shaded.io.opentelemetry.sdk.trace.SdkTracerProvider;
import dev.threadline.agent.shaded.io.opentelemetry.sdk.trace.SpanProcessor;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's JDBC helpers as its advice calls them, on a real H2 statement, with the agent's own
 * (relocated) OpenTelemetry SDK behind them and a span processor that only counts: {@code prepare}
 * is {@code PrepareAdvice} (the connection's database looked up, the statement's span facts
 * remembered), {@code execute} is {@code PreparedStatementAdvice}'s enter and exit around an
 * execution (those facts looked up, CLIENT span started and ended); the statement itself is not
 * run. Run with {@code -t 2} too: every thread reaches the same agent state. The tear-down checks
 * the spans ended were the expected ones.
 *
 * <p>{@code state}: where the statement's query is kept. {@code MAP}: the agent's weak identity
 * map, as for a statement class loaded before the agent; {@code FIELD}: a field of the statement's
 * own, as the agent adds to statement classes it sees load ({@code PreparedQueryHolder}; here a
 * class that declares the same field and accessors, since no agent runs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JdbcSpanBenchmark {

  /** The agent's SDK, shared by all threads, counting ended spans and checking the last. */
  @State(Scope.Benchmark)
  public static class Agent {
    final AtomicLong ended = new AtomicLong();
    volatile ReadableSpan last;
    private SdkTracerProvider provider;

    @Setup(Level.Trial)
    public void setUp() {
      provider =
          SdkTracerProvider.builder()
              .addSpanProcessor(
                  new SpanProcessor() {
                    @Override
                    public void onStart(Context parent, ReadWriteSpan span) {}

                    @Override
                    public boolean isStartRequired() {
                      return false;
                    }

                    @Override
                    public void onEnd(ReadableSpan span) {
                      if ((ended.incrementAndGet() & 1023) == 0) {
                        last = span;
                      }
                    }

                    @Override
                    public boolean isEndRequired() {
                      return true;
                    }
                  })
              .build();
      AgentTracing.set(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
    }

    @TearDown(Level.Trial)
    public void check() {
      ReadableSpan span = last;
      if (ended.get() == 0 || span == null) {
        throw new IllegalStateException("no span ended");
      }
      String text =
          span.getAttribute(
              dev.threadline.agent.shaded.io.opentelemetry.api.common.AttributeKey.stringKey(
                  "db.query.text"));
      if (!"SELECT items".equals(span.getName()) || !SqlSanitizeBenchmark.SANITIZED.equals(text)) {
        throw new IllegalStateException("unexpected span " + span.getName() + ": " + text);
      }
      provider.close();
    }
  }

  /** Where a statement's query is kept. */
  public enum QueryState {
    MAP,
    FIELD
  }

  /** The shape the agent gives a statement class it sees load: one field and its accessors. */
  static final class FieldHoldingStatement implements PreparedQueryHolder {
    private JdbcQuery query;

    @Override
    public JdbcQuery threadline$preparedQuery() {
      return query;
    }

    @Override
    public void threadline$preparedQuery(JdbcQuery query) {
      this.query = query;
    }
  }

  /** One connection and prepared statement per thread, as in a request of a pooled application. */
  @State(Scope.Thread)
  public static class Jdbc {
    @Param({"MAP", "FIELD"})
    QueryState state;

    Connection connection;
    PreparedStatement driverStatement;
    Object statement;
    JdbcUrl url;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
      connection =
          DriverManager.getConnection(
              "jdbc:h2:mem:shop" + Thread.currentThread().getId() + ";USER=sa");
      connection.createStatement().execute("CREATE TABLE IF NOT EXISTS items(id INT)");
      driverStatement = connection.prepareStatement("SELECT 1");
      statement = state == QueryState.MAP ? driverStatement : new FieldHoldingStatement();
      url = JdbcSpans.rememberUrl(connection, connection.getMetaData().getURL());
      JdbcSpans.prepared(statement, SqlSanitizeBenchmark.SQL, url);
      boolean inField =
          statement instanceof FieldHoldingStatement
              && ((FieldHoldingStatement) statement).threadline$preparedQuery() != null;
      if (inField != (state == QueryState.FIELD)) {
        throw new IllegalStateException("the query is not kept where " + state + " says");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
      driverStatement.close();
      connection.close();
    }
  }

  @Benchmark
  public void prepare(Jdbc jdbc) {
    JdbcUrl url = JdbcSpans.urlOf(jdbc.connection);
    JdbcSpans.prepared(jdbc.statement, SqlSanitizeBenchmark.SQL, url);
  }

  @Benchmark
  public void execute(Agent agent, Jdbc jdbc) {
    CallDepth.Depth depth = JdbcSpans.CALL_DEPTH.current();
    Span span = null;
    if (depth.enter() == 0) {
      span = JdbcSpans.startPrepared(jdbc.statement);
    }
    depth.exit();
    JdbcSpans.end(span, null);
  }
}
