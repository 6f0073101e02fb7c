package dev.threadline.sdk.config;

import dev.threadline.sdk.context.ThreadContextLayout;
import dev.threadline.sdk.export.UrlRedaction;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Threadline's own settings ({@code threadline.*}, or {@code THREADLINE_*} in the environment) and
 * the checks of the standard {@code otel.*} settings it depends on. Values are read after {@link
 * ConfigSanitizer} has replaced invalid ones, so the accessors here never fail.
 */
public final class ThreadlineSettings {
  /**
   * Port of the Prometheus scrape endpoint; {@code -1} (default) keeps it off, {@code 0} picks a
   * free port.
   */
  public static final String PROMETHEUS_PORT = "threadline.metrics.prometheus.port";

  /** Address the Prometheus endpoint binds to; loopback unless set. */
  public static final String PROMETHEUS_HOST = "threadline.metrics.prometheus.host";

  /** Whether RED metrics are recorded from SERVER and CLIENT spans (default true). */
  public static final String RED_ENABLED = "threadline.metrics.red.enabled";

  /**
   * Distinct routes per span kind before further routes are counted as {@code OTHER} (default
   * 1000).
   */
  public static final String RED_MAX_ROUTES = "threadline.metrics.red.max.routes";

  /** Whether the context-switch hook is installed (default true). */
  public static final String CONTEXT_HOOK_ENABLED = "threadline.context.hook.enabled";

  /**
   * Whether each thread's trace context is published to the kernel bridge's thread-context region
   * (default true; needs the context-switch hook).
   */
  public static final String CONTEXT_PUBLISH_ENABLED = "threadline.context.publish.enabled";

  /** Slots of the thread-context region: a power of two up to 65536 (default 4096). */
  public static final String CONTEXT_SLOTS = "threadline.context.slots";

  /**
   * Directory of the thread-context region file {@code threadline-ctx.<pid>} (default /dev/shm).
   */
  public static final String CONTEXT_REGION_DIR = "threadline.context.region.dir";

  /**
   * Query parameters whose values are exported as {@code REDACTED} in {@code url.full}, {@code
   * url.query}, {@code http.url} and {@code http.target}: a comma-separated list of names, matched
   * without case, that replaces {@link UrlRedaction#DEFAULT_PARAMETERS} (environment {@code
   * THREADLINE_REDACT_QUERY_PARAMETERS}).
   */
  public static final String REDACT_QUERY_PARAMETERS = "threadline.redact.query.parameters";

  /** Default of {@link #CONTEXT_SLOTS}. */
  public static final int DEFAULT_CONTEXT_SLOTS = 4096;

  /** Default of {@link #CONTEXT_REGION_DIR}. */
  public static final String DEFAULT_CONTEXT_REGION_DIR = "/dev/shm";

  static final String DEFAULT_OTLP_ENDPOINT = "http://localhost:4318";
  static final String TRACES_PATH = "/v1/traces";

  private final ConfigProperties settings;

  private ThreadlineSettings(ConfigProperties settings) {
    this.settings = settings;
  }

  /** Reads Threadline's settings from already sanitized configuration. */
  public static ThreadlineSettings from(ConfigProperties settings) {
    return new ThreadlineSettings(settings);
  }

  /**
   * Defaults that differ from the OpenTelemetry SDK's own: OTLP over HTTP (the only transport
   * shipped), no OpenTelemetry metric or log export (RED metrics go through Micrometer), and the
   * SDK's semantic-convention self-telemetry, from which Threadline reads the count of spans
   * dropped by a full queue.
   */
  public static Map<String, String> defaults() {
    return Map.of(
        "otel.exporter.otlp.protocol", "http/protobuf",
        "otel.metrics.exporter", "none",
        "otel.logs.exporter", "none",
        "otel.experimental.sdk.telemetry.version", "latest");
  }

  public int prometheusPort() {
    return settings.getInt(PROMETHEUS_PORT, -1);
  }

  public String prometheusHost() {
    return settings.getString(PROMETHEUS_HOST, "127.0.0.1");
  }

  public boolean redMetricsEnabled() {
    return settings.getBoolean(RED_ENABLED, true);
  }

  public int redMaxRoutes() {
    return settings.getInt(RED_MAX_ROUTES, 1000);
  }

  public boolean contextHookEnabled() {
    return settings.getBoolean(CONTEXT_HOOK_ENABLED, true);
  }

  public boolean contextPublishEnabled() {
    return settings.getBoolean(CONTEXT_PUBLISH_ENABLED, true);
  }

  public int contextSlots() {
    return settings.getInt(CONTEXT_SLOTS, DEFAULT_CONTEXT_SLOTS);
  }

  public String contextRegionDir() {
    String dir = settings.getString(CONTEXT_REGION_DIR, DEFAULT_CONTEXT_REGION_DIR);
    return dir.isBlank() ? DEFAULT_CONTEXT_REGION_DIR : dir.trim();
  }

  /** The URL redaction {@link #REDACT_QUERY_PARAMETERS} asks for. */
  public UrlRedaction urlRedaction() {
    return UrlRedaction.parse(settings.getString(REDACT_QUERY_PARAMETERS));
  }

  public String serviceName() {
    return settings.getString("otel.service.name", "unknown_service:java");
  }

  static List<SettingRule> rules() {
    Set<String> exporters = Set.of("otlp", "console", "logging", "logging-otlp", "none");
    return List.of(
        SettingRules.bool("otel.sdk.disabled", false),
        SettingRules.keyValueList("otel.resource.attributes", false),
        SettingRules.httpUrl(
            "otel.exporter.otlp.endpoint", (value, settings) -> DEFAULT_OTLP_ENDPOINT),
        SettingRules.httpUrl(
            "otel.exporter.otlp.traces.endpoint",
            (value, settings) -> baseEndpoint(settings) + TRACES_PATH),
        SettingRules.oneOf("otel.exporter.otlp.protocol", Set.of("http/protobuf"), "http/protobuf"),
        SettingRules.oneOf(
            "otel.exporter.otlp.traces.protocol", Set.of("http/protobuf"), "http/protobuf"),
        SettingRules.keyValueList("otel.exporter.otlp.headers", true),
        SettingRules.keyValueList("otel.exporter.otlp.traces.headers", true),
        SettingRules.oneOf("otel.exporter.otlp.compression", Set.of("gzip", "none"), "none"),
        SettingRules.oneOf("otel.exporter.otlp.traces.compression", Set.of("gzip", "none"), "none"),
        SettingRules.duration("otel.exporter.otlp.timeout", "10000"),
        SettingRules.duration("otel.exporter.otlp.traces.timeout", "10000"),
        SettingRules.listOf("otel.traces.exporter", exporters, "otlp"),
        SettingRules.listOf("otel.metrics.exporter", exporters, "none"),
        SettingRules.listOf("otel.logs.exporter", exporters, "none"),
        SettingRules.oneOf(
            "otel.traces.sampler",
            Set.of(
                "always_on",
                "always_off",
                "traceidratio",
                "parentbased_always_on",
                "parentbased_always_off",
                "parentbased_traceidratio"),
            "parentbased_always_on"),
        SettingRules.ratio("otel.traces.sampler.arg", "1.0"),
        SettingRules.listOf(
            "otel.propagators",
            Set.of("tracecontext", "baggage", "b3", "b3multi", "jaeger", "ottrace", "none"),
            "tracecontext,baggage"),
        SettingRules.duration("otel.bsp.schedule.delay", "5000"),
        SettingRules.duration("otel.bsp.export.timeout", "30000"),
        SettingRules.positiveInt("otel.bsp.max.queue.size", 2048),
        SettingRules.positiveInt("otel.bsp.max.export.batch.size", 512),
        SettingRules.portOrOff(PROMETHEUS_PORT),
        SettingRules.bool(RED_ENABLED, true),
        SettingRules.positiveInt(RED_MAX_ROUTES, 1000),
        SettingRules.bool(CONTEXT_HOOK_ENABLED, true),
        SettingRules.bool(CONTEXT_PUBLISH_ENABLED, true),
        SettingRules.powerOfTwo(
            CONTEXT_SLOTS, ThreadContextLayout.MAX_SLOTS, DEFAULT_CONTEXT_SLOTS),
        SettingRules.nameList(
            REDACT_QUERY_PARAMETERS, String.join(",", UrlRedaction.DEFAULT_PARAMETERS)));
  }

  private static String baseEndpoint(ConfigProperties settings) {
    String base = settings.getString("otel.exporter.otlp.endpoint");
    if (base == null || !SettingRules.isHttpUrl(base.trim())) {
      return DEFAULT_OTLP_ENDPOINT;
    }
    base = base.trim();
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }
}
