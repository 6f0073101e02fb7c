package dev.threadline.bridge.node;

import dev.threadline.bridge.node.forward.ForwardConfig;
import dev.threadline.bridge.node.receiver.ReceiverLimits;
import dev.threadline.bridge.node.store.StoreLimits;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Parses the node's flags, each with an environment variable behind it (a flag wins over its
 * variable). Kept apart from {@link NodeCommand} so parsing is tested without starting anything.
 */
final class NodeOptions {
  static final String USAGE =
      String.join(
          "\n",
          "usage: threadline-bridge node [options]",
          "  --listen HOST:PORT        where to serve (env THREADLINE_NODE_LISTEN; default 127.0.0.1:14318)",
          "  --max-body SIZE           largest request body as sent (THREADLINE_NODE_MAX_BODY; default 4MiB)",
          "  --max-decoded SIZE        largest body after gunzip (THREADLINE_NODE_MAX_DECODED; default 8MiB)",
          "  --store-max-bytes SIZE    trace store size (THREADLINE_NODE_STORE_MAX_BYTES; default 128MiB)",
          "  --store-max-age DURATION  how long traces are kept (THREADLINE_NODE_STORE_MAX_AGE; default 30m)",
          "  --max-spans-per-trace N   (THREADLINE_NODE_MAX_SPANS_PER_TRACE; default 10000)",
          "  --forward URL             re-send everything to this OTLP/HTTP traces URL (THREADLINE_NODE_FORWARD)",
          "  --forward-header K=V      header for forwarding, repeatable (THREADLINE_NODE_FORWARD_HEADERS=K=V,K=V)",
          "  --forward-queue SIZE      forwarding queue (THREADLINE_NODE_FORWARD_QUEUE; default 16MiB)",
          "  --threads N               request threads (THREADLINE_NODE_THREADS; default 4)",
          "SIZE: bytes, or with KiB/MiB/GiB (also k/m/g). DURATION: 90s, 30m, 2h, or ISO-8601 (PT30M).");

  private NodeOptions() {}

  /**
   * @param args the flags (a leading {@code node} subcommand is skipped)
   * @param env the environment
   * @throws IllegalArgumentException with a message for the user when something does not parse
   */
  static NodeConfig parse(String[] args, Function<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> headers = new LinkedHashMap<>();
    String forwardHeaders = env.apply("THREADLINE_NODE_FORWARD_HEADERS");
    if (forwardHeaders != null && !forwardHeaders.isBlank()) {
      for (String pair : forwardHeaders.split(",")) {
        header(pair, headers);
      }
    }
    int i = args.length > 0 && args[0].equals("node") ? 1 : 0;
    for (; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        name = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      switch (name) {
        case "--listen":
        case "--max-body":
        case "--max-decoded":
        case "--store-max-bytes":
        case "--store-max-age":
        case "--max-spans-per-trace":
        case "--forward":
        case "--forward-queue":
        case "--threads":
        case "--forward-header":
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(name + " needs a value");
            }
            value = args[++i];
          }
          if (name.equals("--forward-header")) {
            header(value, headers);
          } else {
            values.put(name, value);
          }
          break;
        default:
          throw new IllegalArgumentException("unknown option: " + arg);
      }
    }
    Function<String, String> get = flag -> values.getOrDefault(flag, env.apply(variable(flag)));

    String listen =
        orDefault(get.apply("--listen"), NodeConfig.DEFAULT_HOST + ":" + NodeConfig.DEFAULT_PORT);
    int colon = listen.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--listen must be HOST:PORT or :PORT, was " + listen);
    }
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    int port = (int) integer(listen.substring(colon + 1), "--listen port");
    ReceiverLimits receiver =
        new ReceiverLimits(
            (int)
                size(
                    orDefault(get.apply("--max-body"), "4MiB"),
                    "--max-body",
                    Integer.MAX_VALUE - 16),
            (int)
                size(
                    orDefault(get.apply("--max-decoded"), "8MiB"),
                    "--max-decoded",
                    Integer.MAX_VALUE - 16));
    StoreLimits store =
        new StoreLimits(
            size(
                orDefault(get.apply("--store-max-bytes"), "128MiB"),
                "--store-max-bytes",
                Long.MAX_VALUE),
            duration(orDefault(get.apply("--store-max-age"), "30m")),
            (int)
                integer(
                    orDefault(get.apply("--max-spans-per-trace"), "10000"),
                    "--max-spans-per-trace"));
    ForwardConfig forward = null;
    String forwardUrl = get.apply("--forward");
    if (forwardUrl != null && !forwardUrl.isBlank()) {
      URI uri;
      try {
        uri = URI.create(forwardUrl.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--forward is not a URL: " + forwardUrl);
      }
      forward =
          new ForwardConfig(
              uri,
              headers,
              size(
                  orDefault(get.apply("--forward-queue"), "16MiB"),
                  "--forward-queue",
                  Long.MAX_VALUE),
              ForwardConfig.DEFAULT_TIMEOUT);
    }
    int threads = (int) integer(orDefault(get.apply("--threads"), "4"), "--threads");
    return new NodeConfig(
        host.isEmpty() ? NodeConfig.DEFAULT_HOST : host, port, threads, receiver, store, forward);
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

  static long size(String text, String what, long max) {
    String lower = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    String[][] units = {
      {"kib", "1024"},
      {"mib", "1048576"},
      {"gib", "1073741824"},
      {"kb", "1000"},
      {"mb", "1000000"},
      {"gb", "1000000000"},
      {"k", "1024"},
      {"m", "1048576"},
      {"g", "1073741824"},
      {"b", "1"}
    };
    for (String[] candidate : units) {
      if (lower.endsWith(candidate[0])) {
        unit = Long.parseLong(candidate[1]);
        lower = lower.substring(0, lower.length() - candidate[0].length()).trim();
        break;
      }
    }
    try {
      long value = Math.multiplyExact(Long.parseLong(lower), unit);
      if (value <= 0 || value > max) {
        throw new IllegalArgumentException(what + " out of range: " + text);
      }
      return value;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(what + " must be a size like 4MiB, was " + text);
    }
  }

  static Duration duration(String text) {
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
    throw new IllegalArgumentException(
        "--store-max-age must be like 90s, 30m, 2h or PT30M, was " + text);
  }
}
