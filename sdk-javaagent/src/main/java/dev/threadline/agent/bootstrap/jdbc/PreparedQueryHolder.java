package dev.threadline.agent.bootstrap.jdbc;

/**
 * A JDBC statement that keeps its prepared query in a field of its own: the agent adds the field
 * and this interface to every statement class it sees load (see {@code
 * dev.threadline.agent.InjectedField}), so executing a prepared statement reads a field instead of
 * looking the statement up in a map. Statement classes loaded before the agent cannot gain fields
 * (retransformation cannot change a class's shape); theirs go through a weak identity map instead.
 */
public interface PreparedQueryHolder {

  /** What the spans of this statement's executions say, or {@code null} if not prepared. */
  JdbcQuery threadline$preparedQuery();

  /** Remembers {@code query} for this statement's executions; {@code null} forgets it. */
  void threadline$preparedQuery(JdbcQuery query);
}
