package dev.threadline.sdk.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.export.UrlRedaction;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSanitizerTest {

  private static Map<String, String> sanitize(
      ConfigSanitizer sanitizer, Map<String, String> settings) {
    return sanitizer.apply(DefaultConfigProperties.createFromMap(settings));
  }

  @Test
  void validSettingsPassUntouched() {
    ConfigSanitizer sanitizer = ConfigSanitizer.standard();
    Map<String, String> overrides =
        sanitize(
            sanitizer,
            Map.of(
                "otel.service.name", "checkout",
                "otel.resource.attributes", "team=shop,deployment.environment.name=prod",
                "otel.exporter.otlp.traces.endpoint",
                    "http://deepflow-agent:38086/api/v1/otel/trace",
                "otel.traces.sampler", "parentbased_traceidratio",
                "otel.traces.sampler.arg", "0.25",
                "otel.propagators", "tracecontext,baggage,b3,b3multi,jaeger",
                "otel.bsp.schedule.delay", "500ms",
                "otel.bsp.max.queue.size", "4096",
                "threadline.metrics.prometheus.port", "9464"));
    assertThat(overrides).isEmpty();
    assertThat(sanitizer.warnings()).isEmpty();
  }

  @Test
  void eachInvalidValueFallsBackWithOneWarning() {
    ConfigSanitizer sanitizer = ConfigSanitizer.standard();
    Map<String, String> overrides =
        sanitize(
            sanitizer,
            Map.of(
                "otel.traces.sampler", "sometimes",
                "otel.traces.sampler.arg", "1.5",
                "otel.propagators", "tracecontext,zipkin,b3",
                "otel.bsp.max.queue.size", "-3",
                "otel.bsp.schedule.delay", "soon",
                "otel.exporter.otlp.protocol", "grpc",
                "otel.resource.attributes", "team=shop,broken,=nokey",
                "threadline.metrics.prometheus.port", "99999",
                "threadline.metrics.red.enabled", "yes"));
    assertThat(overrides)
        .containsEntry("otel.traces.sampler", "parentbased_always_on")
        .containsEntry("otel.traces.sampler.arg", "1.0")
        .containsEntry("otel.propagators", "tracecontext,b3")
        .containsEntry("otel.bsp.max.queue.size", "2048")
        .containsEntry("otel.bsp.schedule.delay", "5000")
        .containsEntry("otel.exporter.otlp.protocol", "http/protobuf")
        .containsEntry("otel.resource.attributes", "team=shop")
        .containsEntry("threadline.metrics.prometheus.port", "-1")
        .containsEntry("threadline.metrics.red.enabled", "true")
        .hasSize(9);
    assertThat(sanitizer.warnings()).hasSize(9);
    assertThat(sanitizer.warnings().get("otel.traces.sampler"))
        .contains("OTEL_TRACES_SAMPLER", "'sometimes'", "parentbased_always_on");
    assertThat(sanitizer.warnings().get("otel.propagators")).contains("zipkin");
  }

  @Test
  void invalidEndpointsFallBackToTheDefaultOrTheBaseEndpoint() {
    Map<String, String> overrides =
        sanitize(
            ConfigSanitizer.standard(),
            Map.of(
                "otel.exporter.otlp.endpoint", "collector:4318",
                "otel.exporter.otlp.traces.endpoint", "not a url"));
    assertThat(overrides)
        .containsEntry("otel.exporter.otlp.endpoint", "http://localhost:4318")
        .containsEntry("otel.exporter.otlp.traces.endpoint", "http://localhost:4318/v1/traces");

    overrides =
        sanitize(
            ConfigSanitizer.standard(),
            Map.of(
                "otel.exporter.otlp.endpoint", "http://collector:4318/",
                "otel.exporter.otlp.traces.endpoint", "ftp://collector/traces"));
    assertThat(overrides)
        .containsOnly(
            Map.entry("otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces"));
  }

  @Test
  void headerWarningsNeverRepeatTheValue() {
    ConfigSanitizer sanitizer = ConfigSanitizer.standard();
    Map<String, String> overrides =
        sanitize(sanitizer, Map.of("otel.exporter.otlp.headers", "api-key=s3cr3t,garbage-s3cr3t"));
    assertThat(overrides).containsEntry("otel.exporter.otlp.headers", "api-key=s3cr3t");
    assertThat(sanitizer.warnings().get("otel.exporter.otlp.headers"))
        .doesNotContain("s3cr3t")
        .contains("OTEL_EXPORTER_OTLP_HEADERS");
  }

  @Test
  void threadContextSettingsAreChecked() {
    ConfigSanitizer sanitizer = ConfigSanitizer.standard();
    assertThat(
            sanitize(
                sanitizer,
                Map.of(
                    "threadline.context.slots", "65536",
                    "threadline.context.publish.enabled", "false")))
        .isEmpty();
    for (String slots : new String[] {"1000", "0", "131072", "many"}) {
      ConfigSanitizer strict = ConfigSanitizer.standard();
      assertThat(sanitize(strict, Map.of("threadline.context.slots", slots)))
          .containsExactly(Map.entry("threadline.context.slots", "4096"));
      assertThat(strict.warnings().get("threadline.context.slots"))
          .contains("THREADLINE_CONTEXT_SLOTS")
          .contains("power of two");
    }
    assertThat(sanitize(sanitizer, Map.of("threadline.context.publish.enabled", "maybe")))
        .containsExactly(Map.entry("threadline.context.publish.enabled", "true"));
    assertThat(sanitizer.warnings()).containsOnlyKeys("threadline.context.publish.enabled");
  }

  @Test
  void redactedQueryParametersAreAListOfNames() {
    String key = "threadline.redact.query.parameters";
    assertThat(sanitize(ConfigSanitizer.standard(), Map.of(key, "otp,ticket"))).isEmpty();
    assertThat(sanitize(ConfigSanitizer.standard(), Map.of(key, "otp,, ticket ,")))
        .containsExactly(Map.entry(key, "otp,ticket"));
    ConfigSanitizer blanks = ConfigSanitizer.standard();
    assertThat(sanitize(blanks, Map.of(key, ", ,")))
        .containsExactly(Map.entry(key, String.join(",", UrlRedaction.DEFAULT_PARAMETERS)));
    assertThat(blanks.warnings().get(key)).contains("THREADLINE_REDACT_QUERY_PARAMETERS");
  }
}
