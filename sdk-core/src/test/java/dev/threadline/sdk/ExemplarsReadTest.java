package dev.threadline.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.config.ThreadlineSettings;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SDK offers exemplars only where a metrics exporter can read them: with Threadline's default
 * (no metrics exporter) nothing does, and a dropped span must not pay for one on the application's
 * thread. An exporter, or an exemplar filter chosen by the user, keeps the SDK's behaviour.
 */
class ExemplarsReadTest {

  @Test
  void withThreadlineDefaultsNothingReadsExemplars() {
    assertThat(ThreadlineInstaller.exemplarsRead(config(Map.of()))).isFalse();
    assertThat(ThreadlineInstaller.exemplarsRead(config(Map.of("otel.metrics.exporter", "none"))))
        .isFalse();
  }

  @Test
  void aMetricsExporterReadsThem() {
    assertThat(ThreadlineInstaller.exemplarsRead(config(Map.of("otel.metrics.exporter", "otlp"))))
        .isTrue();
    assertThat(
            ThreadlineInstaller.exemplarsRead(config(Map.of("otel.metrics.exporter", "logging"))))
        .isTrue();
  }

  @Test
  void anExemplarFilterSetByTheUserIsKept() {
    assertThat(
            ThreadlineInstaller.exemplarsRead(
                config(Map.of("otel.metrics.exemplar.filter", "always_on"))))
        .isTrue();
  }

  /** Threadline's defaults under {@code overrides}, as the installer's customizers see them. */
  private static DefaultConfigProperties config(Map<String, String> overrides) {
    Map<String, String> properties = new HashMap<>(ThreadlineSettings.defaults());
    properties.putAll(overrides);
    return DefaultConfigProperties.createFromMap(properties);
  }
}
