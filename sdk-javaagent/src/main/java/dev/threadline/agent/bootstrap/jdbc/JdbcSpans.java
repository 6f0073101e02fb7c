package dev.threadline.agent.bootstrap.jdbc;

import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.CallDepth;
import dev.threadline.agent.bootstrap.Instrumentations;
import dev.threadline.agent.bootstrap.WeakIdentityMap;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.semconv.DbAttributes;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import java.util.concurrent.ConcurrentHashMap;

/** CLIENT spans around JDBC statement execution. */
public final class JdbcSpans {
  public static final String INSTRUMENTATION = "jdbc";

  /**
   * Nesting of statement executions on this thread: a pool's proxy statement and the driver's
   * beneath it make one span.
   */
  public static final CallDepth CALL_DEPTH = new CallDepth();

  // The stable conventions renamed db.system to db.system.name; the agent still reports db.system,
  // which is not among io.opentelemetry.semconv's stable keys.
  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");

  // SQL of prepared statements and URL of connections, remembered by identity with weak keys: the
  // JDBC objects are the application's, and must not be kept alive by the agent. Lock-free reads:
  // every execution of every statement on every thread looks both up.
  private static final WeakIdentityMap<String> preparedSql = new WeakIdentityMap<>();
  private static final WeakIdentityMap<JdbcUrl> connectionUrls = new WeakIdentityMap<>();

  // Distinct URLs an application uses are few; past this many, further ones are parsed each time.
  private static final int MAX_PARSED_URLS = 64;
  private static final ConcurrentHashMap<String, JdbcUrl> parsedUrls = new ConcurrentHashMap<>();

  private JdbcSpans() {}

  public static void prepared(Object statement, String sql) {
    if (statement != null && sql != null) {
      preparedSql.put(statement, sql);
    }
  }

  public static String sqlOf(Object statement) {
    return preparedSql.get(statement);
  }

  /**
   * Forgets a closed statement at once, rather than when it is collected: the map then holds only
   * open statements and stays small (a pool's proxy statement per query would otherwise pile up
   * until the next collection, and every lookup would miss the cache).
   */
  public static void statementClosed(Object statement) {
    preparedSql.remove(statement);
  }

  /** Forgets a closed connection (a pool's proxy is a new one per borrow), as above. */
  public static void connectionClosed(Object connection) {
    connectionUrls.remove(connection);
  }

  /** Statements and connections remembered, for diagnostics and leak tests. */
  static int remembered() {
    return preparedSql.size() + connectionUrls.size();
  }

  /**
   * The database a statement talks to, from its connection's URL (looked up once per connection).
   * The JDBC API is not visible from the bootstrap class path, so its three methods are called
   * reflectively.
   */
  public static JdbcUrl targetOf(Object statement) {
    try {
      JdbcReflection jdbc = JdbcReflection.get();
      Object connection = jdbc.getConnection.invoke(statement);
      JdbcUrl url = connectionUrls.get(connection);
      if (url == null) {
        Object metaData = jdbc.getMetaData.invoke(connection);
        url = parsedUrl((String) jdbc.getUrl.invoke(metaData));
        connectionUrls.put(connection, url);
      }
      return url;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * {@code url} parsed, from a small cache: a pool hands out a new proxy connection per borrow, all
   * with the same URL.
   */
  private static JdbcUrl parsedUrl(String url) {
    if (url == null) {
      return JdbcUrl.parse(null);
    }
    JdbcUrl parsed = parsedUrls.get(url);
    if (parsed == null) {
      parsed = JdbcUrl.parse(url);
      if (parsedUrls.size() < MAX_PARSED_URLS) {
        parsedUrls.put(url, parsed);
      }
    }
    return parsed;
  }

  /**
   * The three JDBC methods, resolved once through the platform class loader where java.sql lives.
   */
  private static final class JdbcReflection {
    private static volatile JdbcReflection instance;
    final java.lang.reflect.Method getConnection;
    final java.lang.reflect.Method getMetaData;
    final java.lang.reflect.Method getUrl;

    private JdbcReflection() throws ReflectiveOperationException {
      ClassLoader platform = ClassLoader.getPlatformClassLoader();
      getConnection =
          Class.forName("java.sql.Statement", false, platform).getMethod("getConnection");
      getMetaData = Class.forName("java.sql.Connection", false, platform).getMethod("getMetaData");
      getUrl = Class.forName("java.sql.DatabaseMetaData", false, platform).getMethod("getURL");
    }

    static JdbcReflection get() throws ReflectiveOperationException {
      JdbcReflection current = instance;
      if (current == null) {
        current = new JdbcReflection();
        instance = current;
      }
      return current;
    }
  }

  /**
   * Starts a CLIENT span for one statement execution; {@code null} when off, failed, or SQL
   * unknown.
   */
  public static Span start(String sql, JdbcUrl url) {
    if (sql == null || !Instrumentations.isEnabled(INSTRUMENTATION)) {
      return null;
    }
    try {
      SqlStatement statement = SqlStatement.parse(sql);
      JdbcUrl target = url == null ? JdbcUrl.parse(null) : url;
      SpanBuilder builder =
          AgentTracing.tracer(INSTRUMENTATION)
              .spanBuilder(spanName(statement, target))
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute(DB_SYSTEM, target.system())
              .setAttribute(DbAttributes.DB_QUERY_TEXT, statement.sanitized());
      if (statement.operation() != null) {
        builder.setAttribute(DbAttributes.DB_OPERATION_NAME, statement.operation());
      }
      if (statement.collection() != null) {
        builder.setAttribute(DbAttributes.DB_COLLECTION_NAME, statement.collection());
      }
      if (target.namespace() != null) {
        builder.setAttribute(DbAttributes.DB_NAMESPACE, target.namespace());
      }
      if (target.host() != null) {
        builder.setAttribute(ServerAttributes.SERVER_ADDRESS, target.host());
        if (target.port() > 0) {
          builder.setAttribute(ServerAttributes.SERVER_PORT, (long) target.port());
        }
      }
      return builder.startSpan();
    } catch (Throwable t) {
      Instrumentations.failed(INSTRUMENTATION, t);
      return null;
    }
  }

  public static void end(Span span, Throwable error) {
    if (span == null) {
      return;
    }
    if (error != null) {
      span.recordException(error);
      span.setAttribute(ErrorAttributes.ERROR_TYPE, error.getClass().getName());
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /** {@code SELECT items}, else {@code SELECT shop}, else the database system. */
  private static String spanName(SqlStatement statement, JdbcUrl url) {
    if (statement.operation() == null) {
      return url.system();
    }
    if (statement.collection() != null) {
      return statement.operation() + " " + statement.collection();
    }
    return url.namespace() != null
        ? statement.operation() + " " + url.namespace()
        : statement.operation();
  }
}
