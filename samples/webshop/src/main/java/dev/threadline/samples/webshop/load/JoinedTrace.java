package dev.threadline.samples.webshop.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether one shopping request came back from the node as one joined trace: the gateway's s-p and
 * c-p, the A spans of every service, an S span per hop, each under the right parent. Reads the
 * node's trace JSON ({@code /api/traces/{id}}); each request carries a unique {@code marker} query
 * parameter, which the gateway and shop-web see.
 *
 * <p>"Under the right parent" is checked by content, not only by shape: a c-p under an A CLIENT
 * span carries the path that span called; an A SERVER span under an s-p serves the path that s-p
 * received; an s-p under a c-p starts at the c-p's TCP sequence number. A span of another request
 * (another marker) in the trace is a wrong join.
 */
public final class JoinedTrace {
  private static final Pattern MARKER = Pattern.compile("(?:^|&)marker=([^&]+)");

  private final Map<String, JsonNode> byId = new HashMap<>();
  private final List<JsonNode> spans = new ArrayList<>();

  private JoinedTrace(JsonNode trace) {
    trace.path("spans").forEach(spans::add);
    for (JsonNode span : spans) {
      byId.put(span.path("spanId").asText(), span);
    }
  }

  public static JoinedTrace of(JsonNode trace) {
    return new JoinedTrace(trace);
  }

  /** The markers of the S spans in this trace (one when it is right). */
  public List<String> markers() {
    List<String> markers = new ArrayList<>();
    for (JsonNode span : spans) {
      String marker = marker(span);
      if (marker != null && !markers.contains(marker)) {
        markers.add(marker);
      }
    }
    return markers;
  }

  /**
   * Spans of another request in this trace: wrong joins. Empty when none.
   *
   * @param marker this request's marker
   */
  public List<String> wrongJoins(String marker) {
    List<String> wrong = new ArrayList<>();
    for (String other : markers()) {
      if (!other.equals(marker)) {
        wrong.add("an S span of request " + other);
      }
    }
    for (JsonNode span : spans) {
      JsonNode parent = byId.get(span.path("parentSpanId").asText());
      if (parent == null) {
        continue;
      }
      boolean system = isS(span);
      if (system && side(span).equals("c-p") && !isS(parent) && isHttpClient(parent)) {
        String called = pathOf(attribute(parent, "url.full"));
        if (called != null && !called.equals(attribute(span, "url.path"))) {
          wrong.add(describe(span) + " under a client span calling " + called);
        }
      } else if (system && side(span).equals("s-p") && isS(parent) && side(parent).equals("c-p")) {
        String seq = attribute(span, "threadline.tcp.request_seq");
        if ("tcp_seq".equals(attribute(span, "threadline.join.rule"))
            && !seq.equals(attribute(parent, "threadline.tcp.request_seq"))) {
          wrong.add(describe(span) + " under a c-p of another sequence number");
        }
      } else if (!system && kind(span).equals("SERVER") && isS(parent)) {
        String served = attribute(span, "url.path");
        if (served != null && !served.equals(attribute(parent, "url.path"))) {
          wrong.add(
              describe(span) + " under an s-p that received " + attribute(parent, "url.path"));
        }
      }
    }
    return wrong;
  }

  /**
   * What keeps this trace from being the whole joined chain of request {@code marker}; empty when
   * it is.
   *
   * @param gateway the gateway's service name as S spans show it ({@code nginx})
   * @param services the application services every request reaches
   */
  public List<String> problems(String marker, String gateway, List<String> services) {
    List<String> problems = new ArrayList<>(wrongJoins(marker));
    List<JsonNode> gatewaySp = new ArrayList<>();
    List<JsonNode> gatewayCp = new ArrayList<>();
    for (JsonNode span : spans) {
      if (isS(span)
          && gateway.equals(span.path("service").asText())
          && marker.equals(marker(span))) {
        (side(span).equals("s-p") ? gatewaySp : gatewayCp).add(span);
      }
    }
    if (gatewaySp.size() != 1 || gatewayCp.size() != 1) {
      problems.add(gatewaySp.size() + " gateway s-p and " + gatewayCp.size() + " gateway c-p");
    } else if (!ancestors(gatewayCp.get(0)).contains(gatewaySp.get(0))) {
      problems.add("the gateway c-p is not below the gateway s-p");
    }
    for (String service : services) {
      if (spans.stream().noneMatch(s -> !isS(s) && service.equals(s.path("service").asText()))) {
        problems.add("no A span of " + service);
      }
    }
    for (JsonNode span : spans) {
      if (!isS(span) && isHttpClient(span)) {
        long hops =
            spans.stream()
                .filter(s -> isS(s) && side(s).equals("c-p"))
                .filter(s -> s.path("parentSpanId").asText().equals(span.path("spanId").asText()))
                .count();
        if (hops != 1) {
          problems.add(hops + " c-p under " + describe(span));
        }
      }
      if (!isS(span) && kind(span).equals("SERVER") && services.contains(service(span))) {
        JsonNode parent = byId.get(span.path("parentSpanId").asText());
        if (parent == null || !isS(parent) || !side(parent).equals("s-p")) {
          problems.add(describe(span) + " is not under an s-p");
        }
      }
    }
    long roots =
        spans.stream().filter(s -> !byId.containsKey(s.path("parentSpanId").asText())).count();
    if (roots != 1) {
      problems.add(roots + " roots");
    }
    return problems;
  }

  private List<JsonNode> ancestors(JsonNode span) {
    List<JsonNode> chain = new ArrayList<>();
    for (JsonNode p = byId.get(span.path("parentSpanId").asText());
        p != null && !chain.contains(p) && chain.size() < 1000;
        p = byId.get(p.path("parentSpanId").asText())) {
      chain.add(p);
    }
    return chain;
  }

  static String marker(JsonNode span) {
    String query = attribute(span, "url.query");
    if (query == null) {
      return null;
    }
    Matcher m = MARKER.matcher(query);
    return m.find() ? m.group(1) : null;
  }

  private static boolean isS(JsonNode span) {
    return "S".equals(span.path("origin").asText());
  }

  private static boolean isHttpClient(JsonNode span) {
    return kind(span).equals("CLIENT") && attribute(span, "url.full") != null;
  }

  private static String side(JsonNode span) {
    String side = attribute(span, "threadline.s.side");
    return side == null ? "" : side;
  }

  private static String kind(JsonNode span) {
    return span.path("kind").asText();
  }

  private static String service(JsonNode span) {
    return span.path("service").asText();
  }

  private static String describe(JsonNode span) {
    return service(span) + " " + kind(span) + " " + span.path("name").asText();
  }

  static String attribute(JsonNode span, String key) {
    for (JsonNode attribute : span.path("attributes")) {
      if (key.equals(attribute.path("key").asText())) {
        return attribute.path("value").asText();
      }
    }
    return null;
  }

  private static String pathOf(String url) {
    if (url == null) {
      return null;
    }
    try {
      return URI.create(url).getRawPath();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
