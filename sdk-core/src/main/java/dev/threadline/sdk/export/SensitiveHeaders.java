package dev.threadline.sdk.export;

import java.util.Locale;

/**
 * The HTTP headers whose values never leave the process: credentials and session tokens. Everything
 * that exports header values (span attributes, captured payloads) asks here first.
 */
public final class SensitiveHeaders {
  /** What a redacted value is replaced with. */
  public static final String REDACTED = "REDACTED";

  private SensitiveHeaders() {}

  /** Whether a header (any case, {@code -} or {@code _} as separator) carries a secret. */
  public static boolean isSensitive(String headerName) {
    String name = headerName.toLowerCase(Locale.ROOT).replace('_', '-');
    switch (name) {
      case "authorization":
      case "proxy-authorization":
      case "cookie":
      case "set-cookie":
      case "x-auth-token":
        return true;
      default:
        return name.contains("api-key") || name.contains("apikey");
    }
  }
}
