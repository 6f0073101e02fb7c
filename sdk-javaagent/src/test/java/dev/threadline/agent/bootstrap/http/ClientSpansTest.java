package dev.threadline.agent.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.bootstrap.GarbageCollections;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

class ClientSpansTest {

  @Test
  void anAbandonedConnectionDoesNotPinItsSpan() throws Exception {
    int before = ClientSpans.openConnections();
    WeakReference<Object> connection = openOne();
    GarbageCollections.collectUntil(
        () -> connection.get() == null && ClientSpans.openConnections() == before);
    assertThat(connection.get()).as("the connection is collected").isNull();
    assertThat(ClientSpans.openConnections()).isEqualTo(before);
  }

  @Test
  void aConnectionsSpanIsFoundUntilTaken() {
    Object connection = new Object();
    ClientSpan span =
        ClientSpans.forConnection("http-url-connection", connection, "GET", "http://h:8/x");
    assertThat(span).isNotNull();
    assertThat(ClientSpans.forConnection("http-url-connection", connection, "GET", "http://h:8/x"))
        .as("started on first sight only")
        .isSameAs(span);
    assertThat(ClientSpans.hasConnection(connection)).isTrue();
    assertThat(ClientSpans.connection(connection)).isSameAs(span);
    assertThat(ClientSpans.takeConnection(connection)).isSameAs(span);
    assertThat(ClientSpans.hasConnection(connection)).isFalse();
    assertThat(ClientSpans.takeConnection(connection)).isNull();
  }

  private static WeakReference<Object> openOne() {
    Object connection = new Object();
    assertThat(ClientSpans.forConnection("http-url-connection", connection, "GET", "http://h:8/x"))
        .isNotNull();
    assertThat(ClientSpans.hasConnection(connection)).isTrue();
    return new WeakReference<>(connection);
  }
}
