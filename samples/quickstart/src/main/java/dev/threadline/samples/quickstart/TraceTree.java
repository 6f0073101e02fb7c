package dev.threadline.samples.quickstart;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Renders spans as one indented tree per trace. */
final class TraceTree {
  private TraceTree() {}

  static Set<String> traceIds(List<SpanData> spans) {
    return spans.stream()
        .map(SpanData::getTraceId)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  static String render(List<SpanData> spans) {
    Map<String, List<SpanData>> byTrace = new LinkedHashMap<>();
    spans.stream()
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .forEach(
            span -> byTrace.computeIfAbsent(span.getTraceId(), id -> new ArrayList<>()).add(span));
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<SpanData>> trace : byTrace.entrySet()) {
      out.append("trace ").append(trace.getKey()).append('\n');
      Set<String> ids =
          trace.getValue().stream().map(SpanData::getSpanId).collect(Collectors.toSet());
      for (SpanData span : trace.getValue()) {
        if (!ids.contains(span.getParentSpanId())) {
          appendTree(out, span, trace.getValue(), 1);
        }
      }
    }
    return out.toString();
  }

  private static void appendTree(
      StringBuilder out, SpanData span, List<SpanData> trace, int depth) {
    out.append("  ".repeat(depth))
        .append(span.getKind())
        .append(' ')
        .append(span.getName())
        .append("  [")
        .append(
            span.getAttributes().asMap().entrySet().stream()
                .filter(
                    e ->
                        e.getKey().getKey().equals("url.full")
                            || e.getKey().getKey().equals("url.path"))
                .map(e -> String.valueOf(e.getValue()))
                .findFirst()
                .orElse(""))
        .append("] thread=")
        .append(threadOf(span))
        .append('\n');
    for (SpanData child : trace) {
      if (child.getParentSpanId().equals(span.getSpanId())) {
        appendTree(out, child, trace, depth + 1);
      }
    }
  }

  private static String threadOf(SpanData span) {
    Object thread =
        span.getAttributes().asMap().entrySet().stream()
            .filter(e -> e.getKey().getKey().equals("thread.name"))
            .map(Map.Entry::getValue)
            .findFirst()
            .orElse("?");
    return String.valueOf(thread);
  }
}
