package dev.threadline.sdk;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds and installs {@link Threadline}. Anything not set here comes from the standard {@code
 * OTEL_*} environment variables and {@code otel.*} system properties (and {@code THREADLINE_*} /
 * {@code threadline.*}); what is set here wins over both.
 */
public final class ThreadlineBuilder {
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final List<SpanProcessor> spanProcessors = new ArrayList<>();
  private final Set<String> nonHttpScopes = new LinkedHashSet<>();
  private MeterRegistry meterRegistry;
  private boolean registerGlobal = true;
  private boolean shutdownHook = true;

  ThreadlineBuilder() {}

  /** Sets {@code otel.service.name}. */
  public ThreadlineBuilder setServiceName(String serviceName) {
    return setProperty("otel.service.name", serviceName);
  }

  /**
   * Sets the full URL spans are posted to, such as {@code http://collector:4318/v1/traces} or
   * DeepFlow's {@code http://deepflow-agent:38086/api/v1/otel/trace} ({@code
   * otel.exporter.otlp.traces.endpoint}).
   */
  public ThreadlineBuilder setTracesEndpoint(String url) {
    return setProperty("otel.exporter.otlp.traces.endpoint", url);
  }

  /** Sets any {@code otel.*} or {@code threadline.*} setting, as its system-property name. */
  public ThreadlineBuilder setProperty(String key, String value) {
    properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Records RED metrics into the application's own registry (for example Spring Boot actuator's)
   * instead of a registry of Threadline's.
   */
  public ThreadlineBuilder setMeterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    return this;
  }

  /**
   * Adds a span processor after Threadline's own (for example to keep spans in memory in a test).
   */
  public ThreadlineBuilder addSpanProcessor(SpanProcessor spanProcessor) {
    spanProcessors.add(Objects.requireNonNull(spanProcessor, "spanProcessor"));
    return this;
  }

  /**
   * Names an instrumentation scope whose spans are never HTTP spans (a JDBC instrumentation's,
   * say), so that the RED metrics pass its spans over without reading their attributes.
   */
  public ThreadlineBuilder addNonHttpInstrumentationScope(String scopeName) {
    nonHttpScopes.add(Objects.requireNonNull(scopeName, "scopeName"));
    return this;
  }

  /** Whether the result is registered with {@code GlobalOpenTelemetry} (default true). */
  public ThreadlineBuilder setRegisterGlobal(boolean registerGlobal) {
    this.registerGlobal = registerGlobal;
    return this;
  }

  /** Whether a JVM shutdown hook flushes and closes Threadline (default true). */
  public ThreadlineBuilder setShutdownHook(boolean shutdownHook) {
    this.shutdownHook = shutdownHook;
    return this;
  }

  /**
   * Builds, installs and returns Threadline. Never throws for a bad setting: it warns and uses the
   * default.
   */
  public Threadline install() {
    return ThreadlineInstaller.install(this);
  }

  Map<String, String> properties() {
    return Map.copyOf(properties);
  }

  Set<String> nonHttpScopes() {
    return Set.copyOf(nonHttpScopes);
  }

  List<SpanProcessor> spanProcessors() {
    return List.copyOf(spanProcessors);
  }

  MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  boolean registerGlobal() {
    return registerGlobal;
  }

  boolean shutdownHook() {
    return shutdownHook;
  }
}
