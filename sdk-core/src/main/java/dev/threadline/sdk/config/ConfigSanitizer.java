package dev.threadline.sdk.config;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Checks every setting Threadline relies on before the OpenTelemetry SDK autoconfiguration reads
 * it. An invalid value is replaced by its default and explained in exactly one warning, so a typo
 * in an environment variable never stops the application from starting.
 *
 * <p>Used as an autoconfigure properties customizer: it receives the merged settings (explicit,
 * system properties, environment) and returns the overrides.
 */
public final class ConfigSanitizer implements Function<ConfigProperties, Map<String, String>> {
  private static final Logger logger = Logger.getLogger("dev.threadline");

  private final List<SettingRule> rules;
  private final Map<String, String> warnings = new LinkedHashMap<>();

  ConfigSanitizer(List<SettingRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The sanitizer for every standard and Threadline setting. */
  public static ConfigSanitizer standard() {
    return new ConfigSanitizer(ThreadlineSettings.rules());
  }

  @Override
  public Map<String, String> apply(ConfigProperties settings) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (SettingRule rule : rules) {
      String value = settings.getString(rule.key());
      if (value == null || value.isBlank()) {
        continue;
      }
      Optional<SettingRule.Correction> correction = rule.check(value.trim(), settings);
      if (correction.isPresent()) {
        SettingRule.Correction fix = correction.get();
        overrides.put(rule.key(), fix.replacement());
        warn(rule.key(), value, fix);
      }
    }
    return overrides;
  }

  /** The warnings of the last run, by key: what a test or a status page can show. */
  public Map<String, String> warnings() {
    return Map.copyOf(warnings);
  }

  private void warn(String key, String value, SettingRule.Correction fix) {
    String shown = fix.echoValue() ? "'" + value + "'" : "(value not shown: it may hold a secret)";
    String replacement = fix.replacement().isEmpty() ? "nothing" : "'" + shown(fix) + "'";
    String message =
        "Threadline: invalid "
            + key
            + " (or "
            + SettingNames.environmentName(key)
            + ") "
            + shown
            + ": "
            + fix.reason()
            + "; using "
            + replacement
            + " instead";
    warnings.put(key, message);
    logger.log(Level.WARNING, message);
  }

  private static String shown(SettingRule.Correction fix) {
    return fix.echoValue() ? fix.replacement() : "the valid entries";
  }
}
