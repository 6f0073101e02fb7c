package dev.threadline.agent.bootstrap;

import java.time.Instant;

/**
 * The agent's own small logger: plain lines on standard error, never through the application's
 * logging setup (which may not be configured yet, or may itself be instrumented).
 */
public final class AgentLog {
  /** Levels, most severe first. */
  public enum Level {
    ERROR,
    WARN,
    INFO,
    DEBUG
  }

  private static volatile Level threshold = Level.INFO;

  private AgentLog() {}

  /** Sets the level from {@code threadline.agent.log.level}; unknown names keep INFO. */
  public static void setLevel(String name) {
    if (name == null) {
      return;
    }
    for (Level level : Level.values()) {
      if (level.name().equalsIgnoreCase(name.trim())) {
        threshold = level;
      }
    }
  }

  public static boolean enabled(Level level) {
    return level.ordinal() <= threshold.ordinal();
  }

  public static void log(Level level, String message, Throwable error) {
    if (!enabled(level)) {
      return;
    }
    StringBuilder line =
        new StringBuilder(96)
            .append('[')
            .append(Instant.now())
            .append("] [threadline] ")
            .append(level)
            .append(' ')
            .append(message);
    if (error != null) {
      line.append(": ").append(error);
    }
    System.err.println(line);
    if (error != null && enabled(Level.DEBUG)) {
      error.printStackTrace();
    }
  }

  public static void info(String message) {
    log(Level.INFO, message, null);
  }

  public static void warn(String message) {
    log(Level.WARN, message, null);
  }

  public static void warn(String message, Throwable error) {
    log(Level.WARN, message, error);
  }

  public static void debug(String message) {
    log(Level.DEBUG, message, null);
  }
}
