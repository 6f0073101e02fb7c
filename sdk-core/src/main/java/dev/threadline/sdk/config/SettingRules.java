package dev.threadline.sdk.config;

import dev.threadline.sdk.config.SettingRule.Correction;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** The kinds of checks Threadline applies to its settings. */
final class SettingRules {
  // The OpenTelemetry duration syntax: a whole number with an optional unit (milliseconds when
  // absent).
  private static final Pattern DURATION = Pattern.compile("\\d+\\s*(ns|us|ms|s|m|h|d)?");

  private SettingRules() {}

  static SettingRule of(
      String key, BiFunction<String, ConfigProperties, Optional<Correction>> check) {
    return new SettingRule() {
      @Override
      public String key() {
        return key;
      }

      @Override
      public Optional<Correction> check(String value, ConfigProperties settings) {
        return check.apply(value, settings);
      }
    };
  }

  /** One of a fixed set of words, compared without case. */
  static SettingRule oneOf(String key, Set<String> allowed, String fallback) {
    return of(
        key,
        (value, settings) ->
            allowed.contains(value.toLowerCase(Locale.ROOT))
                ? Optional.empty()
                : Optional.of(
                    Correction.replaceWith(fallback, "expected one of " + sorted(allowed))));
  }

  /**
   * A comma-separated list of known words; unknown ones are dropped, an empty result falls back.
   */
  static SettingRule listOf(String key, Set<String> allowed, String fallback) {
    return of(
        key,
        (value, settings) -> {
          List<String> kept = new ArrayList<>();
          List<String> unknown = new ArrayList<>();
          for (String item : value.split(",")) {
            String word = item.trim().toLowerCase(Locale.ROOT);
            if (word.isEmpty()) {
              continue;
            }
            if (allowed.contains(word)) {
              if (!kept.contains(word)) {
                kept.add(word);
              }
            } else {
              unknown.add(word);
            }
          }
          if (unknown.isEmpty() && kept.size() > 0 && kept.size() == countItems(value)) {
            return Optional.empty();
          }
          String replacement = kept.isEmpty() ? fallback : String.join(",", kept);
          String reason =
              unknown.isEmpty()
                  ? "duplicate entries removed"
                  : "unknown " + unknown + " ignored, expected a list of " + sorted(allowed);
          return Optional.of(Correction.replaceWith(replacement, reason));
        });
  }

  /**
   * A comma-separated list of names, any text each; blank entries are dropped, and a list of
   * nothing but blanks falls back (an empty list is not a way to turn a safety feature off).
   */
  static SettingRule nameList(String key, String fallback) {
    return of(
        key,
        (value, settings) -> {
          List<String> kept = new ArrayList<>();
          for (String item : value.split(",")) {
            if (!item.isBlank()) {
              kept.add(item.trim());
            }
          }
          if (kept.size() == value.split(",", -1).length) {
            return Optional.empty();
          }
          return kept.isEmpty()
              ? Optional.of(
                  Correction.replaceWith(fallback, "expected a comma-separated list of names"))
              : Optional.of(
                  Correction.replaceWith(String.join(",", kept), "empty entries removed"));
        });
  }

  static SettingRule positiveInt(String key, int fallback) {
    return of(
        key,
        (value, settings) -> {
          try {
            if (Integer.parseInt(value) > 0) {
              return Optional.empty();
            }
          } catch (NumberFormatException e) {
            // falls through to the correction
          }
          return Optional.of(
              Correction.replaceWith(
                  Integer.toString(fallback), "expected a positive whole number"));
        });
  }

  /** A power of two from 1 to {@code max}. */
  static SettingRule powerOfTwo(String key, int max, int fallback) {
    return of(
        key,
        (value, settings) -> {
          try {
            int number = Integer.parseInt(value);
            if (number > 0 && number <= max && Integer.bitCount(number) == 1) {
              return Optional.empty();
            }
          } catch (NumberFormatException e) {
            // falls through to the correction
          }
          return Optional.of(
              Correction.replaceWith(
                  Integer.toString(fallback), "expected a power of two from 1 to " + max));
        });
  }

  /** A TCP port, or {@code -1} for "off". */
  static SettingRule portOrOff(String key) {
    return of(
        key,
        (value, settings) -> {
          try {
            int port = Integer.parseInt(value);
            if (port >= -1 && port <= 65535) {
              return Optional.empty();
            }
          } catch (NumberFormatException e) {
            // falls through to the correction
          }
          return Optional.of(
              Correction.replaceWith("-1", "expected a port from 0 to 65535, or -1 for off"));
        });
  }

  static SettingRule bool(String key, boolean fallback) {
    return of(
        key,
        (value, settings) ->
            value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                ? Optional.empty()
                : Optional.of(
                    Correction.replaceWith(Boolean.toString(fallback), "expected true or false")));
  }

  static SettingRule duration(String key, String fallback) {
    return of(
        key,
        (value, settings) ->
            DURATION.matcher(value).matches()
                ? Optional.empty()
                : Optional.of(
                    Correction.replaceWith(
                        fallback, "expected a duration such as 500, 500ms, 5s or 1m")));
  }

  /** A number from 0 to 1. */
  static SettingRule ratio(String key, String fallback) {
    return of(
        key,
        (value, settings) -> {
          try {
            double ratio = Double.parseDouble(value);
            if (ratio >= 0.0 && ratio <= 1.0) {
              return Optional.empty();
            }
          } catch (NumberFormatException e) {
            // falls through to the correction
          }
          return Optional.of(Correction.replaceWith(fallback, "expected a number from 0 to 1"));
        });
  }

  /** An absolute http or https URL with a host. */
  static SettingRule httpUrl(String key, BiFunction<String, ConfigProperties, String> fallback) {
    return of(
        key,
        (value, settings) ->
            isHttpUrl(value)
                ? Optional.empty()
                : Optional.of(
                    Correction.replaceWith(
                        fallback.apply(value, settings),
                        "expected an absolute http:// or https:// URL")));
  }

  /**
   * A {@code key=value,key=value} list; malformed entries are dropped, the rest kept. With {@code
   * secret}, the warning never repeats the value (OTLP headers carry API keys).
   */
  static SettingRule keyValueList(String key, boolean secret) {
    return of(
        key,
        (value, settings) -> {
          List<String> kept = new ArrayList<>();
          int dropped = 0;
          for (String item : value.split(",")) {
            if (item.isBlank()) {
              continue;
            }
            int eq = item.indexOf('=');
            if (eq > 0 && !item.substring(0, eq).isBlank()) {
              kept.add(item.trim());
            } else {
              dropped++;
            }
          }
          if (dropped == 0) {
            return Optional.empty();
          }
          String replacement = String.join(",", kept);
          String reason =
              dropped
                  + " malformed entr"
                  + (dropped == 1 ? "y" : "ies")
                  + " dropped, expected key=value pairs separated by commas";
          return Optional.of(
              secret
                  ? Correction.replaceSecretWith(replacement, reason)
                  : Correction.replaceWith(replacement, reason));
        });
  }

  static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      return uri.isAbsolute()
          && uri.getHost() != null
          && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static int countItems(String value) {
    int count = 0;
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        count++;
      }
    }
    return count;
  }

  private static List<String> sorted(Set<String> words) {
    List<String> list = new ArrayList<>(words);
    list.sort(null);
    return list;
  }
}
