package dev.threadline.bridge.node;

import dev.threadline.bridge.node.forward.ForwardConfig;
import dev.threadline.bridge.node.receiver.ReceiverLimits;
import dev.threadline.bridge.node.store.StoreLimits;
import dev.threadline.sdk.export.UrlRedaction;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The node's options, each with an environment variable behind it (a flag wins over its variable; a
 * blank value counts as unset). picocli fills the fields ({@link NodeCommand} mixes them in);
 * {@link #toConfig} checks and converts them, so the rules are tested without starting anything.
 */
final class NodeOptions {
  static final String DEFAULT_LISTEN = NodeConfig.DEFAULT_HOST + ":" + NodeConfig.DEFAULT_PORT;
  static final String DEFAULT_MAX_BODY = "4MiB";
  static final String DEFAULT_MAX_DECODED = "8MiB";
  static final String DEFAULT_STORE_MAX_BYTES = "128MiB";
  static final String DEFAULT_STORE_MAX_AGE = "30m";
  static final String DEFAULT_MAX_SPANS_PER_TRACE = "10000";
  static final String DEFAULT_FORWARD_QUEUE = "16MiB";
  static final String DEFAULT_THREADS = "4";
  static final String DEFAULT_KERNEL = "auto";
  static final String DEFAULT_JOIN_WINDOW = "15s";
  static final String DEFAULT_RING_SIZE = "16MiB";
  static final String DEFAULT_READ_TIMEOUT = "10s";
  static final String DEFAULT_MAX_CONNECTIONS = "256";

  /** The SDK's setting of the same name, so an application and its node redact alike. */
  static final String REDACT_QUERY_PARAMETERS_VARIABLE = "THREADLINE_REDACT_QUERY_PARAMETERS";

  /** Comma-separated NAME=VALUE pairs, sent before those of {@code --forward-header}. */
  static final String FORWARD_HEADERS_VARIABLE = "THREADLINE_NODE_FORWARD_HEADERS";

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = DEFAULT_LISTEN,
      description = "where to serve (env THREADLINE_NODE_LISTEN; default ${DEFAULT-VALUE})")
  String listen;

  @Option(
      names = "--max-body",
      paramLabel = "SIZE",
      defaultValue = DEFAULT_MAX_BODY,
      description =
          "largest request body as sent; 413 beyond (env THREADLINE_NODE_MAX_BODY; default"
              + " ${DEFAULT-VALUE})")
  String maxBody;

  @Option(
      names = "--max-decoded",
      paramLabel = "SIZE",
      defaultValue = DEFAULT_MAX_DECODED,
      description =
          "largest body after gunzip; 413 beyond (env THREADLINE_NODE_MAX_DECODED; default"
              + " ${DEFAULT-VALUE})")
  String maxDecoded;

  @Option(
      names = "--store-max-bytes",
      paramLabel = "SIZE",
      defaultValue = DEFAULT_STORE_MAX_BYTES,
      description =
          "trace store size; oldest traces evicted beyond (env THREADLINE_NODE_STORE_MAX_BYTES;"
              + " default ${DEFAULT-VALUE})")
  String storeMaxBytes;

  @Option(
      names = "--store-max-age",
      paramLabel = "DURATION",
      defaultValue = DEFAULT_STORE_MAX_AGE,
      description =
          "how long traces are kept (env THREADLINE_NODE_STORE_MAX_AGE; default ${DEFAULT-VALUE})")
  String storeMaxAge;

  @Option(
      names = "--max-spans-per-trace",
      paramLabel = "N",
      defaultValue = DEFAULT_MAX_SPANS_PER_TRACE,
      description =
          "spans kept per trace (env THREADLINE_NODE_MAX_SPANS_PER_TRACE; default ${DEFAULT-VALUE})")
  String maxSpansPerTrace;

  @Option(
      names = "--forward",
      paramLabel = "URL",
      description =
          "re-send everything to this OTLP/HTTP traces URL (env THREADLINE_NODE_FORWARD; default"
              + " none)")
  String forward;

  @Option(
      names = "--forward-header",
      paramLabel = "K=V",
      description =
          "header for forwarding, repeatable (env THREADLINE_NODE_FORWARD_HEADERS=K=V,K=V, sent too)")
  List<String> forwardHeaders = new ArrayList<>();

  @Option(
      names = "--forward-queue",
      paramLabel = "SIZE",
      defaultValue = DEFAULT_FORWARD_QUEUE,
      description =
          "forwarding queue (env THREADLINE_NODE_FORWARD_QUEUE; default ${DEFAULT-VALUE})")
  String forwardQueue;

  @Option(
      names = "--redact-query-parameters",
      paramLabel = "NAMES",
      description =
          "query parameters whose values are stored and forwarded as REDACTED, comma-separated;"
              + " replaces the defaults (env "
              + REDACT_QUERY_PARAMETERS_VARIABLE
              + "; default token, access_token, api_key, password, ... and the AWS/GCP signing"
              + " parameters)")
  String redactQueryParameters;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = DEFAULT_THREADS,
      description = "request threads (env THREADLINE_NODE_THREADS; default ${DEFAULT-VALUE})")
  String threads;

  @Option(
      names = "--kernel",
      paramLabel = "MODE",
      defaultValue = DEFAULT_KERNEL,
      description =
          "auto|required|off: also trace this host's sockets (S spans) and join them into the"
              + " traces; auto does when it can (root, or CAP_BPF+CAP_PERFMON), required fails"
              + " without (env THREADLINE_NODE_KERNEL; default ${DEFAULT-VALUE})")
  String kernel;

  @Option(
      names = "--join-window",
      paramLabel = "DURATION",
      defaultValue = DEFAULT_JOIN_WINDOW,
      description =
          "how long an S span waits for the spans that join it (env"
              + " THREADLINE_NODE_JOIN_WINDOW; default ${DEFAULT-VALUE})")
  String joinWindow;

  @Option(
      names = "--ring-size",
      paramLabel = "SIZE",
      defaultValue = DEFAULT_RING_SIZE,
      description =
          "the kernel side's BPF ring buffer, a power of two from 4KiB to 256MiB; a larger one rides"
              + " out longer bursts before events are lost (env THREADLINE_NODE_RING_SIZE; default"
              + " ${DEFAULT-VALUE})")
  String ringSize;

  @Option(
      names = "--read-timeout",
      paramLabel = "DURATION",
      defaultValue = DEFAULT_READ_TIMEOUT,
      description =
          "how long a request's headers may take to arrive, then its body, then the client to take"
              + " the response; past it the connection is closed (env THREADLINE_NODE_READ_TIMEOUT;"
              + " default ${DEFAULT-VALUE})")
  String readTimeout;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = DEFAULT_MAX_CONNECTIONS,
      description =
          "connections served at once; one more is closed at once and counted (env"
              + " THREADLINE_NODE_MAX_CONNECTIONS; default ${DEFAULT-VALUE})")
  String maxConnections;

  /**
   * Parses {@code args} (the node's options alone, without running anything) with the defaults
   * {@code env} gives.
   *
   * @throws picocli.CommandLine.ParameterException when the command line does not parse
   * @throws IllegalArgumentException with a message for the user when a value is wrong
   */
  static NodeConfig parse(String[] args, Function<String, String> env) {
    NodeOptions options = new NodeOptions();
    CommandLine command = new CommandLine(options);
    command.setDefaultValueProvider(environment(env));
    command.setExpandAtFiles(false);
    command.parseArgs(args);
    return options.toConfig(env);
  }

  /**
   * Option defaults from the environment: {@code --store-max-age} reads {@code
   * THREADLINE_NODE_STORE_MAX_AGE}; a blank or missing variable leaves the built-in default.
   * ({@code --forward-header} adds to its variable rather than replacing it; see {@link
   * #toConfig}.)
   */
  static IDefaultValueProvider environment(Function<String, String> env) {
    return arg -> {
      if (!(arg instanceof OptionSpec option) || option.longestName().equals("--forward-header")) {
        return null;
      }
      String value =
          env.apply(
              option.longestName().equals("--redact-query-parameters")
                  ? REDACT_QUERY_PARAMETERS_VARIABLE
                  : variable(option.longestName()));
      return value == null || value.isBlank() ? null : value;
    };
  }

  /**
   * Checks and converts the values.
   *
   * @param env the environment, for {@value #FORWARD_HEADERS_VARIABLE}
   * @throws IllegalArgumentException with a message for the user when something does not parse
   */
  NodeConfig toConfig(Function<String, String> env) {
    Map<String, String> headers = new LinkedHashMap<>();
    String variableHeaders = env.apply(FORWARD_HEADERS_VARIABLE);
    if (variableHeaders != null && !variableHeaders.isBlank()) {
      for (String pair : variableHeaders.split(",")) {
        header(pair, headers);
      }
    }
    for (String pair : forwardHeaders) {
      header(pair, headers);
    }

    String listenAt = orDefault(listen, DEFAULT_LISTEN);
    int colon = listenAt.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--listen must be HOST:PORT or :PORT, was " + listenAt);
    }
    String host = listenAt.substring(0, colon).replace("[", "").replace("]", "");
    int port = (int) integer(listenAt.substring(colon + 1), "--listen port");
    ReceiverLimits receiver =
        new ReceiverLimits(
            (int)
                Sizes.parse(
                    orDefault(maxBody, DEFAULT_MAX_BODY), "--max-body", Integer.MAX_VALUE - 16),
            (int)
                Sizes.parse(
                    orDefault(maxDecoded, DEFAULT_MAX_DECODED),
                    "--max-decoded",
                    Integer.MAX_VALUE - 16));
    StoreLimits store =
        new StoreLimits(
            Sizes.parse(
                orDefault(storeMaxBytes, DEFAULT_STORE_MAX_BYTES),
                "--store-max-bytes",
                Long.MAX_VALUE),
            duration(orDefault(storeMaxAge, DEFAULT_STORE_MAX_AGE), "--store-max-age"),
            (int)
                integer(
                    orDefault(maxSpansPerTrace, DEFAULT_MAX_SPANS_PER_TRACE),
                    "--max-spans-per-trace"));
    ForwardConfig forwardTo = null;
    if (forward != null && !forward.isBlank()) {
      URI uri;
      try {
        uri = URI.create(forward.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--forward is not a URL: " + forward);
      }
      forwardTo =
          new ForwardConfig(
              uri,
              headers,
              Sizes.parse(
                  orDefault(forwardQueue, DEFAULT_FORWARD_QUEUE),
                  "--forward-queue",
                  Long.MAX_VALUE),
              ForwardConfig.DEFAULT_TIMEOUT);
    }
    int threadCount = (int) integer(orDefault(threads, DEFAULT_THREADS), "--threads");
    String ringText = orDefault(ringSize, DEFAULT_RING_SIZE);
    int ring = (int) Sizes.parse(ringText, "--ring-size", 256L << 20);
    if (ring < 4096 || Integer.bitCount(ring) != 1) {
      throw new IllegalArgumentException(
          "--ring-size must be a power of two from 4KiB to 256MiB, was " + ringText);
    }
    Duration timeout = duration(orDefault(readTimeout, DEFAULT_READ_TIMEOUT), "--read-timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("--read-timeout must be positive, was " + readTimeout);
    }
    int connections =
        (int) integer(orDefault(maxConnections, DEFAULT_MAX_CONNECTIONS), "--max-connections");
    if (connections < 1 || connections > 65536) {
      throw new IllegalArgumentException(
          "--max-connections must be in 1..65536, was " + maxConnections);
    }
    return new NodeConfig(
        host.isEmpty() ? NodeConfig.DEFAULT_HOST : host,
        port,
        threadCount,
        receiver,
        store,
        forwardTo,
        UrlRedaction.parse(redactQueryParameters),
        KernelMode.parse(orDefault(kernel, DEFAULT_KERNEL)),
        duration(orDefault(joinWindow, DEFAULT_JOIN_WINDOW), "--join-window"),
        ring,
        new ConnectionLimits(timeout, connections));
  }

  /** {@code --store-max-age} → {@code THREADLINE_NODE_STORE_MAX_AGE}. */
  static String variable(String flag) {
    return "THREADLINE_NODE_" + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static void header(String pair, Map<String, String> headers) {
    int equals = pair.indexOf('=');
    if (equals <= 0) {
      throw new IllegalArgumentException("a forward header is NAME=VALUE");
    }
    headers.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  static long integer(String text, String what) {
    try {
      long value = Long.parseLong(text.trim());
      if (value < 0 || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(what + " out of range: " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number, was " + text);
    }
  }

  static Duration duration(String text, String what) {
    String lower = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith("pt") || lower.startsWith("p")) {
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
      }
      char unit = lower.charAt(lower.length() - 1);
      long amount = Long.parseLong(lower.substring(0, lower.length() - 1));
      switch (unit) {
        case 's':
          return Duration.ofSeconds(amount);
        case 'm':
          return Duration.ofMinutes(amount);
        case 'h':
          return Duration.ofHours(amount);
        case 'd':
          return Duration.ofDays(amount);
        default:
          break;
      }
    } catch (RuntimeException e) {
      // reported below
    }
    throw new IllegalArgumentException(what + " must be like 90s, 30m, 2h or PT30M, was " + text);
  }
}
