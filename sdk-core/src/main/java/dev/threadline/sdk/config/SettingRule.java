package dev.threadline.sdk.config;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.Optional;

/**
 * One configuration key with its check: a valid value passes (possibly normalised), an invalid one
 * is replaced by the rule's fallback and explained in one warning.
 */
interface SettingRule {

  /** The property key in its {@code otel.*} / {@code threadline.*} form. */
  String key();

  /**
   * Checks a present value.
   *
   * @return empty when {@code value} is fine as it is, else the verdict with the replacement
   */
  Optional<Correction> check(String value, ConfigProperties settings);

  /** What to use instead of an invalid value, and why. */
  final class Correction {
    private final String replacement;
    private final String reason;
    private final boolean echoValue;

    private Correction(String replacement, String reason, boolean echoValue) {
      this.replacement = replacement;
      this.reason = reason;
      this.echoValue = echoValue;
    }

    static Correction replaceWith(String replacement, String reason) {
      return new Correction(replacement, reason, true);
    }

    /** For values that may hold secrets (headers): the warning never repeats the value. */
    static Correction replaceSecretWith(String replacement, String reason) {
      return new Correction(replacement, reason, false);
    }

    String replacement() {
      return replacement;
    }

    String reason() {
      return reason;
    }

    boolean echoValue() {
      return echoValue;
    }
  }
}
