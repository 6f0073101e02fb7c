package dev.threadline.agent.bootstrap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
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
        // IN lists: each literal becomes ?, the list's shape stays.
        "SELECT * FROM t WHERE a IN (1, 2, 3) | SELECT * FROM t WHERE a IN (?, ?, ?) | SELECT | t",
        "SELECT * FROM t WHERE s IN ('a','b') | SELECT * FROM t WHERE s IN (?,?) | SELECT | t",
        // Quotes: a doubled quote is inside the literal; quoted identifiers stay, also with
        // doubles.
        "SELECT 'a''b', \"x\"\"y\", `c` FROM t | SELECT ?, \"x\"\"y\", `c` FROM t | SELECT | t",
        "SELECT 'unterminated | SELECT ? | SELECT | ",
        // A backslash does not escape: the literal ends at the next quote, the rest is scanned
        // anew.
        "SELECT 'it\\'s' FROM t | SELECT ?s? | SELECT | ",
        // Comments are scanned as text: their literals are replaced too.
        "SELECT a /* 9 */ FROM t -- 42 | SELECT a /* ? */ FROM t -- ? | SELECT | t",
        "SELECT a FROM t /* 'k' */ | SELECT a FROM t /* ? */ | SELECT | t",
        // Numbers: signs stay, fractions, exponents and hex go.
        "SELECT -1.5, .5, 1e-3, 0x1F, 1E+9 FROM t | SELECT -?, ?, ?, ?, ? FROM t | SELECT | t",
        "SELECT x1, t2.c3 FROM t4 WHERE c = 5 | SELECT x1, t2.c3 FROM t4 WHERE c = ? | SELECT | t4",
        // $ starts an identifier: placeholders and dollar-quoted text stay as written.
        "SELECT $$text$$ FROM t WHERE id = $1 | SELECT $$text$$ FROM t WHERE id = $1 | SELECT | t",
        "  (SELECT 1) | (SELECT ?) | | ",
        // The table comes after the whole column list, however long.
        "SELECT a, b, c, d, e, f, g FROM wide WHERE id = 1 | SELECT a, b, c, d, e, f, g FROM wide WHERE id = ? | SELECT | wide",
        "SELECT a, b, c, d, e FROM t WHERE id = 1 | SELECT a, b, c, d, e FROM t WHERE id = ? | SELECT | t",
      })
  void sanitizesLiteralsAndFindsOperationAndTable(
      String sql, String sanitized, String operation, String table) {
    SqlStatement statement = SqlStatement.parse(sql);
    assertThat(statement.sanitized()).isEqualTo(sanitized);
    assertThat(statement.operation()).isEqualTo(operation);
    assertThat(statement.collection()).isEqualTo(table);
  }

  @Test
  void wordsAreWhatTheRegularExpressionSplitGave() {
    char[] alphabet = {
      'a', 'B', '?', '.', ' ', '\t', '\n', '\u000B', '\f', '\r', '(', ')', ',', ';', '\u0001', 'F'
    };
    Random random = new Random(13);
    for (int run = 0; run < 50_000; run++) {
      char[] text = new char[random.nextInt(24)];
      for (int i = 0; i < text.length; i++) {
        text[i] = alphabet[random.nextInt(alphabet.length)];
      }
      String input = new String(text);
      for (String candidate : new String[] {input, input.trim()}) {
        assertThat(SqlStatement.words(candidate, 8))
            .as("words of %s", Arrays.toString(candidate.toCharArray()))
            .containsExactly(candidate.split("[\\s(),;]+", 8));
        assertThat(SqlStatement.words(candidate, Integer.MAX_VALUE))
            .as("all words of %s", Arrays.toString(candidate.toCharArray()))
            .containsExactly(candidate.split("[\\s(),;]+", -1));
      }
    }
  }

  @Test
  void eachDistinctTextIsParsedOnceAndTheCacheIsBounded() {
    String sql = "SELECT name FROM cache_probe WHERE id = 1";
    SqlStatement first = SqlStatement.parse(sql);
    assertThat(SqlStatement.parse(new String(sql))).as("cached by text").isSameAs(first);

    for (int i = 0; i < SqlStatement.CACHE_SIZE + 100; i++) {
      SqlStatement.parse("SELECT * FROM filler_" + i);
    }
    assertThat(SqlStatement.cached()).isLessThanOrEqualTo(SqlStatement.CACHE_SIZE);

    String late = "SELECT * FROM after_full WHERE x = 'y'";
    SqlStatement once = SqlStatement.parse(late);
    SqlStatement again = SqlStatement.parse(late);
    assertThat(again).as("not kept once full").isNotSameAs(once);
    assertThat(again.sanitized())
        .isEqualTo(once.sanitized())
        .isEqualTo("SELECT * FROM after_full WHERE x = ?");
    assertThat(again.collection()).isEqualTo("after_full");
    assertThat(SqlStatement.parse(sql)).as("what was kept stays").isSameAs(first);
  }

  @Test
  void longTextsAreNotKept() {
    String sql = "SELECT * FROM t WHERE c IN (" + "1,".repeat(3000) + "1)";
    assertThat(SqlStatement.parse(sql)).isNotSameAs(SqlStatement.parse(sql));
    assertThat(SqlStatement.parse(sql).sanitized()).startsWith("SELECT * FROM t WHERE c IN (?,?,");
  }
}
