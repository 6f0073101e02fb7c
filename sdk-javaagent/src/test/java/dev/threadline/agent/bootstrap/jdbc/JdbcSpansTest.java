package dev.threadline.agent.bootstrap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.bootstrap.GarbageCollections;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

class JdbcSpansTest {

  @Test
  void statementsAndConnectionsAreRememberedWithoutBeingKeptAlive() throws Exception {
    int before = JdbcSpans.remembered();
    WeakReference<Object>[] refs = rememberAndClose();
    GarbageCollections.collectUntil(
        () -> refs[0].get() == null && refs[1].get() == null && JdbcSpans.remembered() == before);
    assertThat(refs[0].get()).as("the statement is collected").isNull();
    assertThat(refs[1].get()).as("the connection is collected").isNull();
    assertThat(JdbcSpans.remembered()).isEqualTo(before);
  }

  @Test
  void closedStatementsAndConnectionsAreForgottenAtOnce() throws Exception {
    int before = JdbcSpans.remembered();
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:closed;USER=sa")) {
      PreparedStatement statement = connection.prepareStatement("SELECT 1");
      JdbcSpans.prepared(statement, "SELECT 1");
      assertThat(JdbcSpans.targetOf(statement)).isNotNull();
      assertThat(JdbcSpans.remembered()).isEqualTo(before + 2);

      JdbcSpans.statementClosed(statement);
      assertThat(JdbcSpans.sqlOf(statement)).isNull();
      JdbcSpans.connectionClosed(connection);
      assertThat(JdbcSpans.remembered()).isEqualTo(before);
      statement.close();
    }
  }

  @SuppressWarnings("unchecked")
  private static WeakReference<Object>[] rememberAndClose() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:leak;USER=sa");
        PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
      JdbcSpans.prepared(statement, "SELECT 1");
      assertThat(JdbcSpans.sqlOf(statement)).isEqualTo("SELECT 1");
      JdbcUrl url = JdbcSpans.targetOf(statement);
      assertThat(url).isNotNull();
      assertThat(url.system()).isEqualTo("h2");
      assertThat(JdbcSpans.targetOf(statement)).as("looked up once per connection").isSameAs(url);
      assertThat(JdbcSpans.remembered()).isGreaterThanOrEqualTo(2);
      return new WeakReference[] {new WeakReference<>(statement), new WeakReference<>(connection)};
    }
  }
}
