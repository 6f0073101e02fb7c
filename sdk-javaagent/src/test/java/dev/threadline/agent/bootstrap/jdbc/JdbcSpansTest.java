package dev.threadline.agent.bootstrap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.threadline.agent.bootstrap.GarbageCollections;
import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
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
  void closedStatementsAreForgottenAtOnce() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:closed;USER=sa")) {
      PreparedStatement statement = connection.prepareStatement("SELECT 1");
      int before = JdbcSpans.rememberedStatements();
      JdbcSpans.prepared(statement, "SELECT 1", JdbcSpans.targetOf(statement));
      assertThat(JdbcSpans.rememberedStatements()).isEqualTo(before + 1);

      JdbcSpans.statementClosed(statement);
      assertThat(JdbcSpans.queryOf(statement)).isNull();
      assertThat(JdbcSpans.rememberedStatements()).isEqualTo(before);
      statement.close();
    }
  }

  @Test
  void pooledConnectionsAreRememberedByTheDriverConnectionBeneathTheProxy() throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:h2:mem:pooled;USER=sa");
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      Connection driver;
      JdbcUrl first;
      Connection firstProxy;
      try (Connection proxy = pool.getConnection();
          Statement statement = proxy.createStatement()) {
        first = JdbcSpans.targetOf(statement);
        driver = proxy.unwrap(Connection.class);
        firstProxy = proxy;
      }
      try (Connection proxy = pool.getConnection();
          Statement statement = proxy.createStatement()) {
        assertThat(proxy).as("a new proxy per borrow").isNotSameAs(firstProxy);
        assertThat(proxy.unwrap(Connection.class)).isSameAs(driver);
        assertThat(JdbcSpans.urlOf(driver)).isSameAs(first);
        assertThat(JdbcSpans.urlOf(proxy)).as("proxies are not remembered").isNull();
        assertThat(JdbcSpans.targetOf(statement)).isSameAs(first);
      }
      assertThat(first.namespace()).isEqualTo("pooled");
    }
  }

  @SuppressWarnings("unchecked")
  private static WeakReference<Object>[] rememberAndClose() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:leak;USER=sa");
        PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
      JdbcUrl url = JdbcSpans.targetOf(statement);
      assertThat(url).isNotNull();
      assertThat(url.system()).isEqualTo("h2");
      assertThat(JdbcSpans.targetOf(statement)).as("looked up once per connection").isSameAs(url);
      JdbcSpans.prepared(statement, "SELECT 1", url);
      JdbcQuery query = JdbcSpans.queryOf(statement);
      assertThat(query.statement().sanitized()).isEqualTo("SELECT ?");
      assertThat(query.spanName()).isEqualTo("SELECT leak");
      assertThat(query.statement().query(url))
          .as("worked out once per statement and database")
          .isSameAs(query);
      assertThat(JdbcSpans.remembered()).isGreaterThanOrEqualTo(2);
      return new WeakReference[] {new WeakReference<>(statement), new WeakReference<>(connection)};
    }
  }
}
