package dev.threadline.agent.bootstrap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JdbcUrlTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1 | h2 | orders | | -1",
        "jdbc:h2:file:/var/data/shop | h2 | shop | | -1",
        "jdbc:h2:tcp://db.local:9092/shop | h2 | shop | db.local | 9092",
        "jdbc:mariadb://127.0.0.1:3306/webshop?useSSL=false | mariadb | webshop | 127.0.0.1 | 3306",
        "jdbc:postgresql://user:pw@pg:5432/app | postgresql | app | pg | 5432",
        "jdbc:mysql://mysql/app | mysql | app | mysql | -1",
        "jdbc:sqlserver://sql:1433;databaseName=x | mssql | | sql | 1433",
        "jdbc:weird:thing | other_sql | | | -1",
      })
  void readsSystemNamespaceAndServer(
      String url, String system, String namespace, String host, int port) {
    JdbcUrl parsed = JdbcUrl.parse(url);
    assertThat(parsed.system()).isEqualTo(system);
    assertThat(parsed.namespace()).isEqualTo(namespace);
    assertThat(parsed.host()).isEqualTo(host);
    assertThat(parsed.port()).isEqualTo(port);
  }
}
