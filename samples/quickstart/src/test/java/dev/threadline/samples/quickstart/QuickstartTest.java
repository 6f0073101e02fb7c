package dev.threadline.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.Threadline;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class QuickstartTest {

  @Test
  void plainPoolBreaksTheChainAndThreadlineKeepsOneTrace() throws Exception {
    SpanCollector collector = new SpanCollector();
    try (Threadline threadline =
        Threadline.builder()
            .setServiceName("quickstart-test")
            .setRegisterGlobal(false)
            .setShutdownHook(false)
            .setProperty("otel.traces.exporter", "none")
            .addSpanProcessor(SimpleSpanProcessor.create(collector))
            .install()) {
      Quickstart.Result result = Quickstart.run(threadline, collector);

      // Plain pool: the checkout trace, plus one new trace per stock check started on a pool
      // thread.
      assertThat(TraceTree.traceIds(result.plainPool())).hasSize(4);

      List<SpanData> spans = result.threadlinePool();
      assertThat(TraceTree.traceIds(spans)).hasSize(1);
      // client GET /checkout -> server /checkout -> 3 x (client GET /stock on a pool thread ->
      // server /stock)
      assertThat(spans).hasSize(8);
      SpanData checkout = only(spans, "GET /checkout");
      List<SpanData> stockCalls =
          spans.stream()
              .filter(
                  s ->
                      s.getKind() == SpanKind.CLIENT
                          && s.getParentSpanId().equals(checkout.getSpanId()))
              .toList();
      assertThat(stockCalls).hasSize(3);
      assertThat(stockCalls)
          .allSatisfy(
              call -> assertThat(call.getAttributes().asMap().toString()).contains("pool-"));
      Set<String> stockCallIds =
          stockCalls.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
      assertThat(spans.stream().filter(s -> s.getName().equals("GET /stock/{item}")))
          .hasSize(3)
          .allSatisfy(server -> assertThat(stockCallIds).contains(server.getParentSpanId()));
      assertThat(TraceTree.render(spans)).contains("SERVER GET /checkout", "CLIENT GET");
    }
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).hasSize(1);
    return named.get(0);
  }
}
