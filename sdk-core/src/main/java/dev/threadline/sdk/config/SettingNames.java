package dev.threadline.sdk.config;

import java.util.Locale;

/**
 * The two spellings of a setting: {@code otel.foo.bar} (system property) and {@code OTEL_FOO_BAR}
 * (environment).
 */
final class SettingNames {
  private SettingNames() {}

  static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
