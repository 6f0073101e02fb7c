package dev.threadline.agent.bootstrap.jdbc;

/**
 * What the CLIENT span of one statement says, worked out once per statement text and database: the
 * span name and the parsed statement and URL its attributes come from. Immutable; {@link
 * SqlStatement#query} keeps the last one made for each statement text, so that the executions of an
 * application's statements against its database build no strings.
 */
public final class JdbcQuery {
  private final SqlStatement statement;
  private final JdbcUrl url;
  private final String spanName;

  JdbcQuery(SqlStatement statement, JdbcUrl url) {
    this.statement = statement;
    this.url = url;
    this.spanName = spanName(statement, url);
  }

  public SqlStatement statement() {
    return statement;
  }

  public JdbcUrl url() {
    return url;
  }

  /** {@code SELECT items}, else {@code SELECT shop}, else the database system. */
  public String spanName() {
    return spanName;
  }

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
