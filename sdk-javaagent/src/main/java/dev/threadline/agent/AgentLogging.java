package dev.threadline.agent;

import dev.threadline.agent.bootstrap.AgentLog;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The SDK's java.util.logging records (the agent's relocated OpenTelemetry classes log under {@code
 * dev.threadline.*} too) go to the agent's own log, not through the application's logging setup,
 * which may bridge java.util.logging into its own framework.
 */
final class AgentLogging {
  // Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its
  // configuration.
  private static final Logger ROOT = Logger.getLogger("dev.threadline");

  private AgentLogging() {}

  static void routeSdkLogsToAgentLog() {
    ROOT.setUseParentHandlers(false);
    ROOT.setLevel(AgentLog.enabled(AgentLog.Level.DEBUG) ? Level.FINE : Level.INFO);
    ROOT.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (!isLoggable(record)) {
              return;
            }
            AgentLog.Level level =
                record.getLevel().intValue() >= Level.SEVERE.intValue()
                    ? AgentLog.Level.ERROR
                    : record.getLevel().intValue() >= Level.WARNING.intValue()
                        ? AgentLog.Level.WARN
                        : record.getLevel().intValue() >= Level.INFO.intValue()
                            ? AgentLog.Level.INFO
                            : AgentLog.Level.DEBUG;
            String message = record.getMessage();
            if (record.getParameters() != null && message != null && message.contains("{0")) {
              message = java.text.MessageFormat.format(message, record.getParameters());
            }
            AgentLog.log(level, message, record.getThrown());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }
}
