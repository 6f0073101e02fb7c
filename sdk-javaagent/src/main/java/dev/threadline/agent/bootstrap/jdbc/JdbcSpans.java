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

  // What the spans of prepared statements say, and the database of (driver) connections, for the
  // classes loaded before the agent, which hold no field of their own (PreparedQueryHolder,
  // ConnectionUrlHolder): remembered by identity with weak keys, since the JDBC objects are the
  // application's and must not be kept alive by the agent. Lock-free reads.
  private static final WeakIdentityMap<JdbcQuery> preparedQueries = new WeakIdentityMap<>();
  private static final WeakIdentityMap<JdbcUrl> connectionUrls = new WeakIdentityMap<>();

  // Distinct URLs an application uses are few; past this many, further ones are parsed each time.
  private static final int MAX_PARSED_URLS = 64;
  private static final ConcurrentHashMap<String, JdbcUrl> parsedUrls = new ConcurrentHashMap<>();
  private static final JdbcUrl UNKNOWN_DATABASE = JdbcUrl.parse(null);

  private JdbcSpans() {}

  /**
   * Nesting of {@code prepareStatement} calls on this thread: under a pool's proxy, the driver's
   * statement is only ever executed through the proxy's, so only the outermost is remembered.
   */
  public static final CallDepth PREPARE_DEPTH = new CallDepth();

  /**
   * Remembers what the span of each execution of {@code statement} will say, worked out now that
   * its SQL and database are known (once per text and database: {@link SqlStatement#query}).
   */
  public static void prepared(Object statement, String sql, JdbcUrl url) {
    JdbcQuery query = statement == null ? null : queryFor(sql, url);
    if (query == null) {
      return;
    }
    if (statement instanceof PreparedQueryHolder) {
      ((PreparedQueryHolder) statement).threadline$preparedQuery(query);
    } else {
      preparedQueries.put(statement, query);
    }
  }

  /** What {@link #prepared} remembered for {@code statement}, or {@code null}. */
  static JdbcQuery queryOf(Object statement) {
    return statement instanceof PreparedQueryHolder
        ? ((PreparedQueryHolder) statement).threadline$preparedQuery()
        : preparedQueries.get(statement);
  }

  /**
   * The database of a connection, remembered by {@link #rememberUrl}, or {@code null}. The advice
   * passes the driver's connection, unwrapped from a pool's proxy (a new proxy per borrow would
   * miss every time), as the OpenTelemetry agent does.
   */
  public static JdbcUrl urlOf(Object connection) {
    return connection instanceof ConnectionUrlHolder
        ? ((ConnectionUrlHolder) connection).threadline$databaseUrl()
        : connectionUrls.get(connection);
  }

  /** Parses {@code url} (from a small cache) and remembers it as {@code connection}'s database. */
  public static JdbcUrl rememberUrl(Object connection, String url) {
    JdbcUrl parsed = parsedUrl(url);
    if (connection instanceof ConnectionUrlHolder) {
      ((ConnectionUrlHolder) connection).threadline$databaseUrl(parsed);
    } else {
      connectionUrls.put(connection, parsed);
    }
    return parsed;
  }

  /**
   * Nesting of statements' {@code close} calls on this thread: a pool's proxy closes the driver's
   * statement beneath it, and a driver's close may call its superclass's.
   */
  public static final CallDepth CLOSE_DEPTH = new CallDepth();

  /**
   * Forgets a closed statement at once, rather than when it is collected: the map then holds only
   * open statements and stays small. A statement that holds its query in a field needs no call: the
   * query goes with it. (Connections are not forgotten on close: only drivers' connections are
   * remembered, a pool's few and long-lived, and each goes when it is collected.)
   */
  public static void statementClosed(Object statement) {
    preparedQueries.remove(statement);
  }

  /** Statements and connections remembered in the maps, for diagnostics and leak tests. */
  static int remembered() {
    return preparedQueries.size() + connectionUrls.size();
  }

  /** Connections remembered in the map (those that hold no field of their own), for tests. */
  static int rememberedConnections() {
    return connectionUrls.size();
  }

  /**
   * Statements remembered in the map (open ones only, once closes are seen; not those that hold
   * their query in a field), for diagnostics and tests.
   */
  static int rememberedStatements() {
    return preparedQueries.size();
  }

  /**
   * The database a plain statement talks to, from its connection's URL (looked up once per driver
   * connection), for {@code Statement.execute(sql)}, which no prepare step announces. The JDBC API
   * is not visible from the bootstrap class path, so its methods are called reflectively.
   */
  public static JdbcUrl targetOf(Object statement) {
    try {
      JdbcReflection jdbc = JdbcReflection.get();
      Object connection = jdbc.driverConnection(jdbc.getConnection.invoke(statement));
      JdbcUrl url = urlOf(connection);
      if (url == null) {
        Object metaData = jdbc.getMetaData.invoke(connection);
        url = rememberUrl(connection, (String) jdbc.getUrl.invoke(metaData));
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
      return UNKNOWN_DATABASE;
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
    final Class<?> connectionType;
    final java.lang.reflect.Method isWrapperFor;
    final java.lang.reflect.Method unwrap;

    private JdbcReflection() throws ReflectiveOperationException {
      ClassLoader platform = ClassLoader.getPlatformClassLoader();
      getConnection =
          Class.forName("java.sql.Statement", false, platform).getMethod("getConnection");
      connectionType = Class.forName("java.sql.Connection", false, platform);
      getMetaData = connectionType.getMethod("getMetaData");
      getUrl = Class.forName("java.sql.DatabaseMetaData", false, platform).getMethod("getURL");
      Class<?> wrapper = Class.forName("java.sql.Wrapper", false, platform);
      isWrapperFor = wrapper.getMethod("isWrapperFor", Class.class);
      unwrap = wrapper.getMethod("unwrap", Class.class);
    }

    /** The driver's connection beneath a pool's proxy, else {@code connection} itself. */
    Object driverConnection(Object connection) {
      try {
        if (Boolean.TRUE.equals(isWrapperFor.invoke(connection, connectionType))) {
          Object driver = unwrap.invoke(connection, connectionType);
          return driver != null ? driver : connection;
        }
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        // A driver that predates JDBC 4's Wrapper: its connection is the key.
      }
      return connection;
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
   * Starts the CLIENT span of one execution of a prepared statement; {@code null} when off, failed,
   * or the statement was not seen prepared.
   */
  public static Span startPrepared(Object statement) {
    JdbcQuery query = queryOf(statement);
    return query == null ? null : start(query);
  }

  /**
   * Starts a CLIENT span for one execution of {@code sql}; {@code null} when off, failed, or SQL
   * unknown.
   */
  public static Span start(String sql, JdbcUrl url) {
    JdbcQuery query = queryFor(sql, url);
    return query == null ? null : start(query);
  }

  private static JdbcQuery queryFor(String sql, JdbcUrl url) {
    if (sql == null) {
      return null;
    }
    try {
      return SqlStatement.parse(sql).query(url == null ? UNKNOWN_DATABASE : url);
    } catch (RuntimeException e) {
      Instrumentations.failed(INSTRUMENTATION, e);
      return null;
    }
  }

  private static Span start(JdbcQuery query) {
    if (!Instrumentations.isEnabled(INSTRUMENTATION)) {
      return null;
    }
    try {
      SqlStatement statement = query.statement();
      JdbcUrl target = query.url();
      SpanBuilder builder =
          AgentTracing.tracer(INSTRUMENTATION)
              .spanBuilder(query.spanName())
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

  /**
   * The exit of an execution's advice: undoes its enter's {@code depth} (null when the enter
   * failed) and ends its span, if it started one.
   */
  public static void executed(CallDepth.Depth depth, Span span, Throwable error) {
    if (depth != null) {
      depth.exit();
    }
    end(span, error);
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
}
