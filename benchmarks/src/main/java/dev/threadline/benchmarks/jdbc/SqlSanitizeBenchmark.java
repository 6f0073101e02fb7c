package dev.threadline.benchmarks.jdbc;

import dev.threadline.agent.bootstrap.jdbc.SqlStatement;
import io.opentelemetry.instrumentation.api.incubator.semconv.db.SqlDialect;
import io.opentelemetry.instrumentation.api.incubator.semconv.db.SqlQueryAnalyzer;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * SQL sanitising: {@code cached} sanitises one statement text over and over (what an application
 * with prepared statements does), {@code cold} a new text each call, cycling through more distinct
 * texts than either cache keeps. {@code THREADLINE} is the agent's {@code SqlStatement.parse},
 * {@code OTEL} the OpenTelemetry instrumentation's {@code SqlQueryAnalyzer}, which its JDBC
 * instrumentation calls per execution. Both return the sanitised text, operation and table; the
 * set-up checks each gives the expected text.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class SqlSanitizeBenchmark {
  /** A statement as an ORM writes it, with literals the sanitiser must replace. */
  static final String SQL =
      "SELECT i.id, i.name, i.price, i.stock FROM items i WHERE i.category = 'books'"
          + " AND i.price < 25.50 AND i.id IN (1, 2, 3) ORDER BY i.name LIMIT 20";

  static final String SANITIZED =
      "SELECT i.id, i.name, i.price, i.stock FROM items i WHERE i.category = ?"
          + " AND i.price < ? AND i.id IN (?, ?, ?) ORDER BY i.name LIMIT ?";

  private static final int DISTINCT = 1 << 16;

  /** Which sanitiser. */
  public enum Sanitizer {
    THREADLINE {
      @Override
      String sanitize(String sql) {
        return SqlStatement.parse(sql).sanitized();
      }
    },
    OTEL {
      private final SqlQueryAnalyzer analyzer = SqlQueryAnalyzer.create(true);

      @Override
      String sanitize(String sql) {
        return analyzer.analyze(sql, SqlDialect.DOUBLE_QUOTES_ARE_IDENTIFIERS).getQueryText();
      }
    };

    abstract String sanitize(String sql);

    /** What each makes of {@link #SQL}: OpenTelemetry also folds an IN list into one {@code ?}. */
    String expected() {
      return this == OTEL ? SANITIZED.replace("IN (?, ?, ?)", "IN (?)") : SANITIZED;
    }
  }

  @Param({"THREADLINE", "OTEL"})
  public Sanitizer sanitizer;

  private String[] distinct;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    String sanitized = sanitizer.expected();
    String got = sanitizer.sanitize(SQL);
    if (!sanitized.equals(got)) {
      throw new IllegalStateException(sanitizer + " sanitised to " + got);
    }
    distinct = new String[DISTINCT];
    for (int i = 0; i < DISTINCT; i++) {
      distinct[i] = SQL.replace("items i", "items_" + i + " i");
    }
    String expected = sanitized.replace("items i", "items_7 i");
    if (!expected.equals(sanitizer.sanitize(distinct[7]))) {
      throw new IllegalStateException(
          sanitizer + " sanitised to " + sanitizer.sanitize(distinct[7]));
    }
  }

  @Benchmark
  public String cached() {
    return sanitizer.sanitize(SQL);
  }

  @Benchmark
  public String cold() {
    String sql = distinct[next];
    next = (next + 1) & (DISTINCT - 1);
    return sanitizer.sanitize(sql);
  }
}
