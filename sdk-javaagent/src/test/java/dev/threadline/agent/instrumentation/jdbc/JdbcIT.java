package dev.threadline.agent.instrumentation.jdbc;

import static dev.threadline.agent.AgentRun.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.AgentRun;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JdbcIT {

  @Test
  void statementsBecomeClientSpansWithoutLiteralsAndPoolsAddNoDuplicates() throws Exception {
    AgentRun run = AgentRun.scenario(JdbcScenario.class, 4, Map.of());
    List<Span> spans = run.spans();

    // CREATE, INSERT, prepared SELECT, and the SELECT through HikariCP once (not once more for the
    // driver beneath).
    assertThat(spans)
        .extracting(Span::getName)
        .containsExactlyInAnyOrder("CREATE shop", "INSERT items", "SELECT items", "SELECT items");
    assertThat(spans)
        .allSatisfy(
            span -> {
              assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
              assertThat(attribute(span, "db.system")).isEqualTo("h2");
              assertThat(attribute(span, "db.namespace")).isEqualTo("shop");
              assertThat(attribute(span, "db.query.text"))
                  .doesNotContain("secret-coffee", "4.50", "'x'");
            });
    Span insert =
        spans.stream().filter(s -> s.getName().equals("INSERT items")).findFirst().orElseThrow();
    assertThat(attribute(insert, "db.query.text")).isEqualTo("INSERT INTO items VALUES (?, ?, ?)");
    assertThat(attribute(insert, "db.operation.name")).isEqualTo("INSERT");
    assertThat(attribute(insert, "db.collection.name")).isEqualTo("items");
    assertThat(spans)
        .filteredOn(s -> s.getName().equals("SELECT items"))
        .extracting(s -> attribute(s, "db.query.text"))
        .containsExactlyInAnyOrder(
            "SELECT name FROM items WHERE id = ?",
            "SELECT price FROM items WHERE name = ? OR id = ?");
    assertThat(run.output())
        .contains(
            "item secret-coffee",
            // The driver's and the pool's statement classes loaded after the agent: their queries
            // are in fields the agent added, not in its map.
            "driver statement holds its query: true",
            // The driver's connection class too: its database is in a field, and the map is
            // empty, though the pool's connection below unwraps to a driver connection as well.
            "driver connection holds its database: shop",
            "connections remembered in the map: 0",
            "statements remembered while open: 0",
            "statements remembered after close: 0",
            "pooled price 4.50",
            "pooled statement holds its query: true",
            "pooled statements remembered after close: 0");
  }
}
