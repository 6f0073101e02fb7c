package dev.threadline.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The library added to a plain Java application, in its own JVM, exports to an OTLP endpoint. */
class PlainJavaAppTest {

  @Test
  void plainAppConfiguredByEnvironmentExportsItsTraceOnExit() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start()) {
      String javaBin = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder process =
          new ProcessBuilder(
                  javaBin,
                  "-cp",
                  System.getProperty("java.class.path"),
                  PlainJavaApp.class.getName())
              .redirectErrorStream(true)
              .redirectOutput(File.createTempFile("plain-app", ".log"));
      process
          .environment()
          .keySet()
          .removeIf(key -> key.startsWith("OTEL_") || key.startsWith("THREADLINE_"));
      process.environment().put("OTEL_SERVICE_NAME", "plain-app");
      process
          .environment()
          .put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.baseUrl() + "/api/v1/otel/trace");
      // A long schedule delay: only the shutdown hook's flush can deliver the spans in time.
      process.environment().put("OTEL_BSP_SCHEDULE_DELAY", "600000");
      File log = process.redirectOutput().file();

      Process app = process.start();
      assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("plain app exits").isTrue();
      String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
      assertThat(app.exitValue()).as(output).isZero();
      assertThat(output).contains("plain-app done");

      List<Span> spans = collector.awaitSpans(2, Duration.ofSeconds(5));
      assertThat(spans)
          .extracting(Span::getName)
          .containsExactlyInAnyOrder("handle request", "pooled work");
      Span request = OtlpExportTest.byName(spans, "handle request");
      Span pooled = OtlpExportTest.byName(spans, "pooled work");
      assertThat(pooled.getTraceId()).isEqualTo(request.getTraceId());
      assertThat(pooled.getParentSpanId()).isEqualTo(request.getSpanId());
      assertThat(
              OtlpExportTest.stringAttribute(
                  collector
                      .requests()
                      .get(0)
                      .body()
                      .getResourceSpans(0)
                      .getResource()
                      .getAttributesList(),
                  "service.name"))
          .isEqualTo("plain-app");
    }
  }
}
