package dev.threadline.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.threadline.bridge.node.store.TraceQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many senders at once, one trace split across them: every span lands, in one trace, counted once.
 */
class ConcurrentIngestTest {
  @Test
  void parallelSendersBuildConsistentTraces() throws Exception {
    int senders = 8;
    int tracesPerSender = 25;
    try (NodeServer node = NodeServer.start(NodeConfig.defaults().withPort(0))) {
      ExecutorService pool = Executors.newFixedThreadPool(senders);
      List<Future<?>> done = new ArrayList<>();
      for (int sender = 0; sender < senders; sender++) {
        int id = sender;
        done.add(
            pool.submit(
                () -> {
                  for (int t = 0; t < tracesPerSender; t++) {
                    byte[] traceId = new byte[16];
                    traceId[0] = 9;
                    traceId[15] = (byte) t;
                    // Kong's half and the upstream half of each trace come from different senders.
                    var request =
                        (id % 2 == 0 ? KongPayload.kong(1L + t) : KongPayload.upstream(1L + t))
                            .toBuilder();
                    for (var span :
                        request
                            .getResourceSpansBuilder(0)
                            .getScopeSpansBuilder(0)
                            .getSpansBuilderList()) {
                      span.setTraceId(ByteString.copyFrom(traceId));
                      byte[] spanId = span.getSpanId().toByteArray();
                      spanId[0] = (byte) (id / 2);
                      span.setSpanId(ByteString.copyFrom(spanId));
                    }
                    assertThat(
                            NodeHttp.post(
                                    node.baseUrl() + "/v1/traces",
                                    "application/x-protobuf",
                                    null,
                                    request.build().toByteArray())
                                .statusCode())
                        .isEqualTo(200);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
      pool.shutdown();
      assertThat(node.store().traceCount()).isEqualTo(tracesPerSender);
      // 4 senders x 5 Kong spans + 4 senders x 2 upstream spans, per trace.
      assertThat(node.store().spanCount()).isEqualTo(tracesPerSender * (4 * 5 + 4 * 2));
      assertThat(node.metrics().count("threadline.node.spans.received"))
          .isEqualTo(tracesPerSender * (4 * 5 + 4 * 2));
      assertThat(node.store().query(TraceQuery.all(1000)))
          .allSatisfy(summary -> assertThat(summary.spanCount()).isEqualTo(28))
          .allSatisfy(
              summary ->
                  assertThat(summary.services()).containsExactlyInAnyOrder("kong", "orders"));
    }
  }
}
