package dev.threadline.bridge.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.context.ThreadContextLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * thread_context.h is the contract between the JVM that writes a thread-context region (sdk-core's
 * {@link ThreadContextLayout}) and the BPF program that reads it; clang checks the header's
 * _Static_asserts against its structs, and this test checks every Java constant against the same
 * lines, closing the loop without clang.
 */
class ThreadContextLayoutTest {
  private static final Path HEADER = Path.of("src/main/bpf/thread_context.h");

  @Test
  void everyJavaConstantMatchesTheSharedHeader() throws Exception {
    String header = Files.readString(HEADER);
    assertThat(
            Long.parseUnsignedLong(define(header, "TL_CTX_MAGIC").replaceAll("^0x|ULL$", ""), 16))
        .isEqualTo(ThreadContextLayout.MAGIC);
    assertThat(number(header, "TL_CTX_VERSION")).isEqualTo((long) ThreadContextLayout.VERSION);
    assertThat(number(header, "TL_CTX_HEADER_SIZE"))
        .isEqualTo((long) ThreadContextLayout.HEADER_SIZE);
    assertThat(number(header, "TL_CTX_SLOT_SIZE")).isEqualTo((long) ThreadContextLayout.SLOT_SIZE);
    assertThat(number(header, "TL_CTX_PROBES")).isEqualTo((long) ThreadContextLayout.PROBES);
    assertThat(number(header, "TL_CTX_MAX_SLOTS")).isEqualTo((long) ThreadContextLayout.MAX_SLOTS);
    assertThat(number(header, "TL_CTX_NS_PER_TICK")).isEqualTo(ThreadContextLayout.NS_PER_TICK);

    assertThat(offset(header, "tl_ctx_header", "magic"))
        .isEqualTo(ThreadContextLayout.HEADER_MAGIC);
    assertThat(offset(header, "tl_ctx_header", "version"))
        .isEqualTo(ThreadContextLayout.HEADER_VERSION);
    assertThat(offset(header, "tl_ctx_header", "slot_size"))
        .isEqualTo(ThreadContextLayout.HEADER_SLOT_SIZE);
    assertThat(offset(header, "tl_ctx_header", "slot_count"))
        .isEqualTo(ThreadContextLayout.HEADER_SLOT_COUNT);
    assertThat(offset(header, "tl_ctx_header", "tgid")).isEqualTo(ThreadContextLayout.HEADER_TGID);
    assertThat(offset(header, "tl_ctx_header", "claims"))
        .isEqualTo(ThreadContextLayout.HEADER_CLAIMS);
    assertThat(offset(header, "tl_ctx_header", "full")).isEqualTo(ThreadContextLayout.HEADER_FULL);

    assertThat(offset(header, "tl_ctx_slot", "owner_tid"))
        .isEqualTo(ThreadContextLayout.SLOT_OWNER_TID);
    assertThat(offset(header, "tl_ctx_slot", "owner_start"))
        .isEqualTo(ThreadContextLayout.SLOT_OWNER_START);
    assertThat(offset(header, "tl_ctx_slot", "record")).isEqualTo(ThreadContextLayout.SLOT_RECORD);
    assertThat(offset(header, "tl_ctx_slot", "record.trace_id"))
        .isEqualTo(ThreadContextLayout.RECORD_TRACE_ID);
    assertThat(offset(header, "tl_ctx_slot", "record.span_id"))
        .isEqualTo(ThreadContextLayout.RECORD_SPAN_ID);
    assertThat(offset(header, "tl_ctx_slot", "record.valid"))
        .isEqualTo(ThreadContextLayout.RECORD_VALID);
    assertThat(offset(header, "tl_ctx_slot", "record.trace_flags"))
        .isEqualTo(ThreadContextLayout.RECORD_TRACE_FLAGS);
    assertThat(offset(header, "tl_ctx_slot", "record.attrs_data_size"))
        .isEqualTo(ThreadContextLayout.RECORD_ATTRS_DATA_SIZE);
    Matcher record = Pattern.compile("sizeof\\(struct tl_ctx_record\\) == (\\d+)").matcher(header);
    assertThat(record.find()).isTrue();
    assertThat(Integer.parseInt(record.group(1))).isEqualTo(ThreadContextLayout.RECORD_SIZE);
  }

  private static String define(String header, String name) {
    Matcher m = Pattern.compile("#define " + name + "\\s+(\\S+)").matcher(header);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }

  private static long number(String header, String name) {
    return Long.parseLong(define(header, name).replaceAll("ULL$", ""));
  }

  private static int offset(String header, String struct, String field) {
    Matcher m =
        Pattern.compile(
                "offsetof\\(struct " + struct + ", " + Pattern.quote(field) + "\\) == (\\d+)")
            .matcher(header);
    assertThat(m.find()).as(struct + "." + field).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
