package dev.threadline.agent.bootstrap.jdbc;

/**
 * A JDBC connection that keeps its database in a field of its own: the agent adds the field and
 * this interface to every connection class it sees load (see {@code
 * dev.threadline.agent.InjectedField}), so preparing a statement reads a field instead of looking
 * the connection up in a map. Connection classes loaded before the agent cannot gain fields; theirs
 * go through a weak identity map instead.
 */
public interface ConnectionUrlHolder {

  /** This connection's database, or {@code null} if not yet known. */
  JdbcUrl threadline$databaseUrl();

  /** Remembers {@code url} as this connection's database. */
  void threadline$databaseUrl(JdbcUrl url);
}
