package dev.threadline.agent.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpRulesTest {

  @Test
  void serverSpanNamesAreMethodAndRouteAndMadeOncePerRoute() {
    String first = HttpRules.serverSpanName("GET", "/items/{id}");

    assertThat(first).isEqualTo("GET /items/{id}");
    assertThat(HttpRules.serverSpanName("GET", new String("/items/{id}"))).isSameAs(first);
    assertThat(HttpRules.serverSpanName("POST", "/items/{id}")).isEqualTo("POST /items/{id}");
  }

  @Test
  void methodsTheConventionsDoNotKnowNameTheSpanHttp() {
    assertThat(HttpRules.serverSpanName("PURGE", "/cache")).isEqualTo("HTTP /cache");
    assertThat(HttpRules.serverSpanName("get", "/cache")).isEqualTo("HTTP /cache");
    assertThat(HttpRules.serverSpanName(null, "/cache")).isEqualTo("HTTP /cache");
  }

  @Test
  void protocolVersionIsWhatFollowsTheSlash() {
    assertThat(HttpRules.protocolVersion("HTTP/1.1")).isEqualTo("1.1");
    assertThat(HttpRules.protocolVersion("HTTP/1.0")).isEqualTo("1.0");
    assertThat(HttpRules.protocolVersion("HTTP/2.0")).isEqualTo("2.0");
    assertThat(HttpRules.protocolVersion("h2c")).isEqualTo("h2c");
    assertThat(HttpRules.protocolVersion(null)).isNull();
  }
}
