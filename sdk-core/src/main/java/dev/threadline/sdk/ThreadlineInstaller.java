package dev.threadline.sdk;

import dev.threadline.sdk.config.ConfigSanitizer;
import dev.threadline.sdk.config.ThreadlineSettings;
import dev.threadline.sdk.context.ContextSwitchHook;
import dev.threadline.sdk.context.ThreadContextPublisher;
import dev.threadline.sdk.export.CountingSpanExporter;
import dev.threadline.sdk.export.RedactingSpanExporter;
import dev.threadline.sdk.export.SpanQueueTelemetry;
import dev.threadline.sdk.metrics.PrometheusEndpoint;
import dev.threadline.sdk.metrics.RedMetrics;
import dev.threadline.sdk.propagation.W3CTraceContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wires the OpenTelemetry SDK autoconfiguration, Threadline's settings, exporters and metrics
 * together.
 */
final class ThreadlineInstaller {
  private static final Logger logger = Logger.getLogger("dev.threadline");

  private ThreadlineInstaller() {}

  /**
   * Whether anything reads the SDK meter provider's exemplars. With no metrics exporter configured
   * (Threadline's default) the one reader is {@link SpanQueueTelemetry}, which reads sums only; the
   * SDK would otherwise offer an exemplar on every span the batch processor drops, on the
   * application thread that ended it. An exemplar filter set explicitly is kept.
   */
  static boolean exemplarsRead(ConfigProperties config) {
    return config.getString("otel.metrics.exemplar.filter") != null
        || !config.getList("otel.metrics.exporter", List.of("none")).equals(List.of("none"));
  }

  static Threadline install(ThreadlineBuilder builder) {
    // Before anything touches OpenTelemetry's context storage: the hook can only wrap it before
    // first use.
    if (!"false".equalsIgnoreCase(earlySetting(builder, ThreadlineSettings.CONTEXT_HOOK_ENABLED))
        && !ContextSwitchHook.install()) {
      logger.warning(
          "Threadline: the context-switch hook is not active because OpenTelemetry's context was used before"
              + " Threadline was installed; install Threadline first (or use the agent) so the kernel bridge"
              + " can see each thread's trace context");
    }

    List<CountingSpanExporter> exporters = new CopyOnWriteArrayList<>();
    SpanQueueTelemetry queueTelemetry = new SpanQueueTelemetry();
    Wiring wiring = new Wiring(builder);

    OpenTelemetrySdk sdk;
    try {
      AutoConfiguredOpenTelemetrySdkBuilder auto =
          AutoConfiguredOpenTelemetrySdk.builder()
              .disableShutdownHook()
              .addPropertiesSupplier(ThreadlineSettings::defaults)
              .addPropertiesCustomizer(config -> builder.properties())
              .addPropertiesCustomizer(ConfigSanitizer.standard())
              .addPropagatorCustomizer(
                  (propagator, config) -> W3CTraceContext.inPlaceOf(propagator))
              .addSpanExporterCustomizer(
                  (exporter, config) -> {
                    CountingSpanExporter counting =
                        new CountingSpanExporter(
                            RedactingSpanExporter.wrap(
                                exporter, ThreadlineSettings.from(config).urlRedaction()));
                    exporters.add(counting);
                    return counting;
                  })
              .addMeterProviderCustomizer(
                  (meterProvider, config) -> {
                    meterProvider.registerMetricReader(queueTelemetry);
                    return exemplarsRead(config)
                        ? meterProvider
                        : meterProvider.setExemplarFilter(ExemplarFilter.alwaysOff());
                  })
              .addTracerProviderCustomizer(wiring::customizeTracerProvider);
      sdk = auto.build().getOpenTelemetrySdk();
    } catch (RuntimeException e) {
      logger.log(
          Level.WARNING,
          "Threadline: the OpenTelemetry SDK could not be configured ("
              + e.getMessage()
              + "); continuing with W3C propagation and no span export",
          e);
      sdk = fallbackSdk(wiring);
    }

    ThreadContextPublisher publisher = publishThreadContext(builder, wiring);
    MeterRegistry registry = wiring.registry();
    bindExportMetrics(registry, exporters, queueTelemetry);
    if (publisher != null) {
      bindContextMetrics(registry, publisher);
    }
    Threadline threadline =
        new Threadline(sdk, registry, exporters, queueTelemetry, wiring.resources());
    if (builder.registerGlobal()) {
      registerGlobal(sdk);
    }
    if (builder.shutdownHook()) {
      threadline.addShutdownHook();
    }
    return threadline;
  }

  /**
   * Registers the thread-context publisher as a context-switch listener when the hook is installed
   * and publication is on; returns it, or {@code null} when nothing is published.
   */
  private static ThreadContextPublisher publishThreadContext(
      ThreadlineBuilder builder, Wiring wiring) {
    ThreadlineSettings settings = wiring.settings();
    boolean publish =
        settings != null
            ? settings.contextPublishEnabled()
            : !"false"
                .equalsIgnoreCase(
                    earlySetting(builder, ThreadlineSettings.CONTEXT_PUBLISH_ENABLED));
    if (!publish
        || "false".equalsIgnoreCase(earlySetting(builder, ThreadlineSettings.CONTEXT_HOOK_ENABLED))
        || !ContextSwitchHook.isInstalled()) {
      return null;
    }
    String dir =
        settings != null
            ? settings.contextRegionDir()
            : ThreadlineSettings.DEFAULT_CONTEXT_REGION_DIR;
    int slots =
        settings != null ? settings.contextSlots() : ThreadlineSettings.DEFAULT_CONTEXT_SLOTS;
    Path directory;
    try {
      directory = Path.of(dir);
    } catch (InvalidPathException e) {
      logger.warning(
          "Threadline: thread context is not published: invalid "
              + ThreadlineSettings.CONTEXT_REGION_DIR
              + " '"
              + dir
              + "' ("
              + e.getMessage()
              + ")");
      return null;
    }
    ThreadContextPublisher publisher = ThreadContextPublisher.openShared(directory, slots);
    if (!publisher.isActive()) {
      return null;
    }
    ContextSwitchHook.addListener(publisher);
    wiring.addResource(() -> ContextSwitchHook.removeListener(publisher));
    return publisher;
  }

  private static void bindContextMetrics(MeterRegistry registry, ThreadContextPublisher publisher) {
    FunctionCounter.builder(
            "threadline.context.slots.claimed", publisher, ThreadContextPublisher::claims)
        .description("Thread-context region slots claimed by threads")
        .register(registry);
    FunctionCounter.builder(
            "threadline.context.slots.full", publisher, ThreadContextPublisher::full)
        .description("Threads that found no free thread-context slot and publish nothing")
        .register(registry);
  }

  private static OpenTelemetrySdk fallbackSdk(Wiring wiring) {
    SdkTracerProviderBuilder tracerProvider = SdkTracerProvider.builder();
    wiring.customizeTracerProvider(tracerProvider, null);
    return OpenTelemetrySdk.builder()
        .setTracerProvider(tracerProvider.build())
        .setPropagators(ContextPropagators.create(W3CTraceContext.propagator()))
        .build();
  }

  private static void registerGlobal(OpenTelemetrySdk sdk) {
    try {
      GlobalOpenTelemetry.set(sdk);
    } catch (IllegalStateException e) {
      logger.warning(
          "Threadline: GlobalOpenTelemetry was already set by someone else; Threadline's instance is"
              + " available from Threadline.openTelemetry() but not globally");
    }
  }

  private static void bindExportMetrics(
      MeterRegistry registry, List<CountingSpanExporter> exporters, SpanQueueTelemetry queue) {
    FunctionCounter.builder(
            "threadline.spans.exported",
            exporters,
            list -> list.stream().mapToLong(CountingSpanExporter::exportedSpans).sum())
        .description("Spans the backend accepted")
        .register(registry);
    FunctionCounter.builder(
            "threadline.spans.export.failed",
            exporters,
            list -> list.stream().mapToLong(CountingSpanExporter::failedSpans).sum())
        .description("Spans lost because their export failed")
        .register(registry);
    FunctionCounter.builder("threadline.spans.dropped", queue, SpanQueueTelemetry::droppedSpans)
        .description("Spans dropped because the bounded export queue was full")
        .register(registry);
    Gauge.builder("threadline.spans.queued", queue, SpanQueueTelemetry::queuedSpans)
        .description("Spans waiting in the export queue")
        .register(registry);
    Gauge.builder("threadline.spans.queue.capacity", queue, SpanQueueTelemetry::queueCapacity)
        .description("Spans the export queue can hold")
        .register(registry);
  }

  /**
   * Reads a Threadline setting before autoconfiguration runs: builder, system property,
   * environment.
   */
  private static String earlySetting(ThreadlineBuilder builder, String key) {
    String value = builder.properties().get(key);
    if (value == null) {
      value = System.getProperty(key);
    }
    if (value == null) {
      value = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
    }
    return value == null ? null : value.trim();
  }

  /**
   * The parts built from the final configuration: meter registry, RED processor, Prometheus
   * endpoint.
   */
  private static final class Wiring {
    private final ThreadlineBuilder builder;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private MeterRegistry registry;
    private ThreadlineSettings settings;

    Wiring(ThreadlineBuilder builder) {
      this.builder = builder;
    }

    SdkTracerProviderBuilder customizeTracerProvider(
        SdkTracerProviderBuilder tracerProvider, ConfigProperties config) {
      ThreadlineSettings settings = config == null ? null : ThreadlineSettings.from(config);
      if (settings != null) {
        this.settings = settings;
      }
      createRegistry(settings);
      // The tracer's own telemetry (spans started and live) would look a metric up on every span
      // start and end; nothing reads it. The batch processor keeps its meter provider: its drop
      // and queue counts are read by SpanQueueTelemetry.
      tracerProvider.setMeterProvider(MeterProvider::noop);
      if (settings == null || settings.redMetricsEnabled()) {
        int maxRoutes = settings == null ? 1000 : settings.redMaxRoutes();
        tracerProvider.addSpanProcessor(
            RedMetrics.spanProcessor(registry, maxRoutes, builder.nonHttpScopes()));
      }
      for (SpanProcessor processor : builder.spanProcessors()) {
        tracerProvider.addSpanProcessor(processor);
      }
      return tracerProvider;
    }

    private void createRegistry(ThreadlineSettings settings) {
      if (registry != null) {
        return;
      }
      MeterRegistry own = builder.meterRegistry();
      int port = settings == null ? -1 : settings.prometheusPort();
      PrometheusMeterRegistry prometheus = null;
      if (port >= 0) {
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
          resources.add(PrometheusEndpoint.start(prometheus, settings.prometheusHost(), port));
        } catch (RuntimeException e) {
          logger.warning(
              "Threadline: the Prometheus endpoint could not listen on "
                  + settings.prometheusHost()
                  + ":"
                  + port
                  + " ("
                  + e.getMessage()
                  + "); metrics are still recorded");
        }
      }
      if (own != null && prometheus != null) {
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(own);
        composite.add(prometheus);
        registry = composite;
      } else if (own != null) {
        registry = own;
      } else if (prometheus != null) {
        registry = prometheus;
      } else {
        registry = new SimpleMeterRegistry();
      }
    }

    MeterRegistry registry() {
      if (registry == null) {
        createRegistry(null);
      }
      return registry;
    }

    /** The sanitized settings, or {@code null} when autoconfiguration did not get that far. */
    ThreadlineSettings settings() {
      return settings;
    }

    void addResource(AutoCloseable resource) {
      resources.add(resource);
    }

    List<AutoCloseable> resources() {
      return List.copyOf(resources);
    }
  }
}
