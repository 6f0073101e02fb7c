package dev.threadline.sdk.context;

import static dev.threadline.sdk.context.ThreadContextLayout.HEADER_SIZE;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_SPAN_ID;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_TRACE_FLAGS;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_TRACE_ID;
import static dev.threadline.sdk.context.ThreadContextLayout.RECORD_VALID;
import static dev.threadline.sdk.context.ThreadContextLayout.SLOT_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Both ways of writing a record — by address, and through the buffer — give the same bytes. */
class ThreadSlotTest {
  private static final int OFFSET = HEADER_SIZE + 3 * SLOT_SIZE;

  private static final SpanContext SAMPLED =
      SpanContext.create(
          "0af7651916cd43dd8448eb211c80319c",
          "b7ad6b7169203331",
          TraceFlags.getSampled(),
          TraceState.getDefault());
  private static final SpanContext UNSAMPLED =
      SpanContext.create(
          "4bf92f3577b34da6a3ce929d0e0e4736",
          "00f067aa0ba902b7",
          TraceFlags.getDefault(),
          TraceState.getDefault());

  @Test
  void storesByAddressOnADirectBuffer() {
    ByteBuffer direct = region(true);
    assertThat(RawMemory.address(direct)).isPositive();
    checkRecords(direct);
  }

  @Test
  void storesThroughTheBufferWhereNoAddressIsKnown() {
    ByteBuffer heap = region(false);
    assertThat(RawMemory.address(heap)).isEqualTo(-1);
    checkRecords(heap);
  }

  private static void checkRecords(ByteBuffer buffer) {
    ThreadSlot slot = new ThreadSlot(Thread.currentThread(), buffer, OFFSET, 42);

    slot.write(SAMPLED);
    assertRecord(buffer, SAMPLED);
    slot.write(null);
    assertThat(buffer.get(OFFSET + RECORD_VALID)).isZero();
    slot.write(UNSAMPLED);
    assertRecord(buffer, UNSAMPLED);
    slot.write(SAMPLED); // the second cache entry
    assertRecord(buffer, SAMPLED);
    slot.write(SpanContext.getInvalid());
    assertThat(buffer.get(OFFSET + RECORD_VALID)).isZero();
    // Nothing outside the slot's record was touched.
    for (int i = 0; i < buffer.capacity(); i++) {
      if (i < OFFSET + RECORD_TRACE_ID || i >= OFFSET + RECORD_VALID + 4) {
        assertThat(buffer.get(i)).as("byte %d", i).isZero();
      }
    }
  }

  private static void assertRecord(ByteBuffer buffer, SpanContext expected) {
    byte[] traceId = new byte[16];
    byte[] spanId = new byte[8];
    buffer.get(OFFSET + RECORD_TRACE_ID, traceId);
    buffer.get(OFFSET + RECORD_SPAN_ID, spanId);
    assertThat(HexFormat.of().formatHex(traceId)).isEqualTo(expected.getTraceId());
    assertThat(HexFormat.of().formatHex(spanId)).isEqualTo(expected.getSpanId());
    assertThat(buffer.get(OFFSET + RECORD_TRACE_FLAGS))
        .isEqualTo(expected.getTraceFlags().asByte());
    assertThat(buffer.get(OFFSET + RECORD_VALID)).isEqualTo((byte) 1);
  }

  private static ByteBuffer region(boolean direct) {
    int size = HEADER_SIZE + 8 * SLOT_SIZE;
    ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    return buffer.order(ByteOrder.nativeOrder());
  }
}
