package dev.threadline.agent.bootstrap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlStatementTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "SELECT * FROM users WHERE name = 'bob' AND age > 42 | SELECT * FROM users WHERE name = ? AND age > ? | SELECT | users",
        "select * from orders where id = 7 | select * from orders where id = ? | SELECT | orders",
        "INSERT INTO items (id, name) VALUES (1, 'it''s') | INSERT INTO items (id, name) VALUES (?, ?) | INSERT | items",
        "UPDATE stock SET qty = qty - 2.5e3 WHERE sku = 0xFF | UPDATE stock SET qty = qty - ? WHERE sku = ? | UPDATE | stock",
        "DELETE FROM cart WHERE user_id = 12 | DELETE FROM cart WHERE user_id = ? | DELETE | cart",
        "SELECT \"col1\", t2.x FROM shop.items t2 | SELECT \"col1\", t2.x FROM shop.items t2 | SELECT | shop.items",
        "CALL do_it(3) | CALL do_it(?) | CALL | ",
      })
  void sanitizesLiteralsAndFindsOperationAndTable(
      String sql, String sanitized, String operation, String table) {
    SqlStatement statement = SqlStatement.parse(sql);
    assertThat(statement.sanitized()).isEqualTo(sanitized);
    assertThat(statement.operation()).isEqualTo(operation);
    assertThat(statement.collection()).isEqualTo(table);
  }
}
