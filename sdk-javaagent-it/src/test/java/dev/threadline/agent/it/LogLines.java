package dev.threadline.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trace ids an application printed in its log lines, with the layout {@link #PATTERN} (the same
 * keys for Logback's {@code %X} and Log4j2's): {@code trace_id=<id> span_id=<id>
 * trace_flags=<flags>}, empty values when a line was logged outside any span.
 */
public final class LogLines {
  /** The part of the layout the tests read. */
  public static final String PATTERN =
      "trace_id=%X{trace_id} span_id=%X{span_id} trace_flags=%X{trace_flags}";

  private static final Pattern IDS =
      Pattern.compile("trace_id=(\\S*) span_id=(\\S*) trace_flags=(\\S*)");

  private LogLines() {}

  /** The ids of one log line. */
  public record Ids(String traceId, String spanId, String traceFlags) {}

  /**
   * Waits for the one line of {@code app} containing {@code marker} (logging may still be under way
   * when a response arrives) and returns its ids.
   */
  public static Ids await(AgentApp app, String marker, Duration timeout) throws Exception {
    String line = awaitLine(app, marker, timeout);
    Matcher ids = IDS.matcher(line);
    assertThat(ids.find()).as("ids in: " + line).isTrue();
    return new Ids(ids.group(1), ids.group(2), ids.group(3));
  }

  /** Waits for the one line of {@code app} containing {@code marker} and returns it. */
  public static String awaitLine(AgentApp app, String marker, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> lines = lines(app.output(), marker);
    while (lines.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      lines = lines(app.output(), marker);
    }
    assertThat(lines).as("log lines with '" + marker + "':\n" + app.output()).hasSize(1);
    return lines.get(0);
  }

  private static List<String> lines(String output, String marker) {
    return output.lines().filter(line -> line.contains(marker)).toList();
  }
}
