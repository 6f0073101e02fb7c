package dev.threadline.bridge.node.store;

import java.util.Locale;

/**
 * Where a span was observed: in the application (A, made by an OpenTelemetry SDK or agent, Kong's
 * plugin included), at the system-call layer (S, made by the eBPF bridge) or on the network (N,
 * packets).
 *
 * <p>A span says which it is with the attribute {@value #ATTRIBUTE} on the span or on its resource;
 * spans that do not say are application spans, since that is what every ordinary OTLP client sends.
 */
public enum Origin {
  /** Application span: made by an SDK or agent inside the process. */
  A,
  /** System span: made from system calls seen by the kernel side. */
  S,
  /** Network span: made from packets. */
  N;

  /** The span or resource attribute that marks a span's origin. */
  public static final String ATTRIBUTE = "threadline.span.origin";

  /**
   * The origin named by an attribute value ({@code A}/{@code S}/{@code N}, or {@code
   * application}/{@code system}/ {@code network}, any case); {@code null} when the value names
   * none.
   */
  public static Origin parse(String value) {
    if (value == null) {
      return null;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "a":
      case "application":
        return A;
      case "s":
      case "system":
        return S;
      case "n":
      case "network":
        return N;
      default:
        return null;
    }
  }
}
