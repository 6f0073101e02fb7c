package dev.threadline.bridge.node.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.threadline.bridge.node.store.Attribute;
import dev.threadline.bridge.node.store.SpanEvent;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.sdk.export.UrlRedaction;
import dev.threadline.sdk.testing.Fuzzer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes what the node does with an export body before it stores it: the OTLP/JSON decoder, the
 * protobuf parse of {@link OtlpReceiverHandler}, gzip inflation under its limit, then {@link
 * RequestRedaction} and {@link SpanConverter}. Only {@link ReceiveException} (a 400, or 413 for a
 * body over the limit) may come out; the decoded request and the records made of it stay
 * proportional to the body.
 */
class OtlpDecodersFuzzTest {
  private static final RequestRedaction REDACTION = new RequestRedaction(UrlRedaction.defaults());
  private static final int INFLATED_LIMIT = 64 * 1024;

  private static final String JSON =
      "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
          + "\"value\":{\"stringValue\":\"shop\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},"
          + "\"spans\":[{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
          + "\"spanId\":\"00f067aa0ba902b7\",\"parentSpanId\":\"\",\"name\":\"GET /\",\"kind\":2,"
          + "\"startTimeUnixNano\":\"1700000000000000000\",\"endTimeUnixNano\":1700000000100000000,"
          + "\"attributes\":[{\"key\":\"url.query\",\"value\":{\"stringValue\":\"a=1&token=x\"}},"
          + "{\"key\":\"n\",\"value\":{\"intValue\":\"-5\"}},{\"key\":\"d\",\"value\":"
          + "{\"doubleValue\":1.5}},{\"key\":\"b\",\"value\":{\"bytesValue\":\"AAEC\"}},"
          + "{\"key\":\"http.request.header.authorization\",\"value\":{\"arrayValue\":{\"values\":"
          + "[{\"stringValue\":\"Bearer x\"},{\"kvlistValue\":{\"values\":[{\"key\":\"k\","
          + "\"value\":{\"boolValue\":true}}]}}]}}}],\"events\":[{\"name\":\"e\","
          + "\"timeUnixNano\":\"1\",\"attributes\":[]}],\"status\":{\"code\":\"STATUS_CODE_ERROR\","
          + "\"message\":\"m\"}}]}]}]}";

  private static ExportTraceServiceRequest request() {
    HexFormat hex = HexFormat.of();
    AnyValue nested =
        AnyValue.newBuilder()
            .setArrayValue(
                ArrayValue.newBuilder()
                    .addValues(AnyValue.newBuilder().setStringValue("Bearer x"))
                    .addValues(
                        AnyValue.newBuilder()
                            .setKvlistValue(
                                KeyValueList.newBuilder()
                                    .addValues(
                                        KeyValue.newBuilder()
                                            .setKey("k")
                                            .setValue(AnyValue.newBuilder().setDoubleValue(2))))))
            .build();
    Span span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(hex.parseHex("4bf92f3577b34da6a3ce929d0e0e4736")))
            .setSpanId(ByteString.copyFrom(hex.parseHex("00f067aa0ba902b7")))
            .setParentSpanId(ByteString.copyFrom(hex.parseHex("0af7651916cd43dd")))
            .setName("GET /items")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(1_700_000_000_000_000_000L)
            .setEndTimeUnixNano(1_700_000_000_100_000_000L)
            .addAttributes(attribute("url.full", "https://u:p@shop/items?access_token=s&a=1"))
            .addAttributes(attribute("http.request.header.cookie", "id=1"))
            .addAttributes(KeyValue.newBuilder().setKey("nested").setValue(nested))
            .addEvents(Span.Event.newBuilder().setName("e").addAttributes(attribute("k", "v")))
            .addLinks(Span.Link.newBuilder().addAttributes(attribute("http.url", "/?sig=1")))
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "shop")))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("scope"))
                        .addSpans(span)
                        .addSpans(span.toBuilder().setSpanId(ByteString.copyFrom(new byte[8])))))
        .build();
  }

  private static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static Fuzzer fuzzer(String name) {
    return Fuzzer.named(name)
        .maxLength(64 * 1024)
        .defaultInputs(60_000)
        .rejects(OtlpDecodersFuzzTest::documented);
  }

  private static boolean documented(Throwable t) {
    return t instanceof ReceiveException
        && (((ReceiveException) t).status() == 400 || ((ReceiveException) t).status() == 413);
  }

  @Test
  void jsonBodies() throws InterruptedException {
    Fuzzer.Result result =
        fuzzer("otlp-json")
            .seed(JSON)
            .seed("{\"resource_spans\":[{\"scope_spans\":[{\"spans\":[{}]}]}]}")
            .seed(
                "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"a\",\"value\":"
                    + "{\"arrayValue\":{\"values\":[{\"arrayValue\":{\"values\":[]}}]}}}]}}]}")
            .dictionary(
                "{",
                "}",
                "[",
                "]",
                "\"",
                ",",
                ":",
                "null",
                "true",
                "1e999",
                "\\u0000",
                "\"intValue\":",
                "\"arrayValue\":{\"values\":[",
                "\"kvlistValue\":{\"values\":[",
                "\"traceId\":\"",
                "\"spans\":[{",
                "NaN",
                "-0",
                "\"\\ud800\"")
            .run(
                (body, random) -> {
                  ExportTraceServiceRequest decoded = OtlpJsonDecoder.decode(body);
                  // Each JSON byte makes at most 3 protobuf bytes (an invalid UTF-8 byte becomes
                  // U+FFFD); structure only shrinks.
                  assertThat(decoded.getSerializedSize()).isLessThanOrEqualTo(3 * body.length);
                  store(decoded);
                });
    assertThat(result.rejected()).isLessThan(result.inputs());
  }

  @Test
  void protobufBodies() throws InterruptedException {
    byte[] seed = request().toByteArray();
    Fuzzer.Result result =
        fuzzer("otlp-protobuf")
            .seed(seed)
            .seed(ExportTraceServiceRequest.getDefaultInstance().toByteArray())
            .run(
                (body, random) -> {
                  ExportTraceServiceRequest decoded = OtlpReceiverHandler.parseProtobuf(body);
                  // Re-encoding may lengthen a short negative varint (5 to 10 bytes), no more.
                  assertThat(decoded.getSerializedSize()).isLessThanOrEqualTo(2 * body.length);
                  store(decoded);
                });
    assertThat(result.rejected()).isLessThan(result.inputs());
  }

  @Test
  void gzipBodies() throws InterruptedException {
    Fuzzer.Result result =
        fuzzer("otlp-gzip")
            .seed(gzip(request().toByteArray()))
            .seed(gzip(new byte[INFLATED_LIMIT + 1]))
            .seed(gzip(JSON.getBytes(StandardCharsets.UTF_8)))
            .run(
                (raw, random) -> {
                  byte[] body = BoundedBody.gunzip(raw, INFLATED_LIMIT);
                  assertThat(body.length).isLessThanOrEqualTo(INFLATED_LIMIT);
                  store(
                      random.nextBoolean()
                          ? OtlpReceiverHandler.parseProtobuf(body)
                          : OtlpJsonDecoder.decode(body));
                });
    assertThat(result.rejected()).isLessThan(result.inputs());
  }

  /** What the handler does with a decoded request; checks what it holds stays proportional. */
  private static void store(ExportTraceServiceRequest decoded) {
    ExportTraceServiceRequest redacted = REDACTION.redact(decoded);
    assertThat(REDACTION.redact(redacted)).as("redaction is idempotent").isSameAs(redacted);
    SpanConverter.Conversion conversion = SpanConverter.convert(redacted);
    int spans = 0;
    for (ResourceSpans resourceSpans : redacted.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        spans += scopeSpans.getSpansCount();
      }
    }
    assertThat(conversion.spans().size() + conversion.rejected()).isEqualTo(spans);
    long characters = 0;
    List<Attribute> resource = null;
    for (SpanRecord record : conversion.spans()) {
      characters += record.name().length() + length(record.attributes());
      if (record.resourceAttributes() != resource) {
        resource = record.resourceAttributes();
        characters += length(resource);
      }
      for (SpanEvent event : record.events()) {
        characters += event.name().length() + length(event.attributes());
      }
    }
    // Display text: at most a few characters per protobuf byte (a double's 9 bytes, 24 digits).
    assertThat(characters).isLessThanOrEqualTo(4L * redacted.getSerializedSize() + 64);
  }

  private static long length(List<Attribute> attributes) {
    long n = 0;
    for (Attribute attribute : attributes) {
      n += attribute.key().length() + attribute.value().length();
    }
    return n;
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }
}
