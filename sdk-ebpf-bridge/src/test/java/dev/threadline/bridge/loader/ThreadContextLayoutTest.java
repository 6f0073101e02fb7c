package dev.threadline.bridge.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * thread_context.h is the contract between the JVM that writes a thread-context region and the BPF
 * program that reads it (clang checks its _Static_asserts against the structs); this test checks
 * the bridge's own constants against the same header.
 */
class ThreadContextLayoutTest {
  private static final Path HEADER = Path.of("src/main/bpf/thread_context.h");

  @Test
  void discoveryConstantsMatchTheSharedHeader() throws Exception {
    String header = Files.readString(HEADER);
    assertThat(
            Long.parseUnsignedLong(
                define(header, "TL_CTX_MAGIC").replace("0x", "").replace("ULL", ""), 16))
        .isEqualTo(ThreadContextRegions.MAGIC);
    assertThat(Integer.parseInt(define(header, "TL_CTX_VERSION")))
        .isEqualTo(ThreadContextRegions.VERSION);
    assertThat(Integer.parseInt(define(header, "TL_CTX_HEADER_SIZE")))
        .isEqualTo(ThreadContextRegions.HEADER_SIZE);
    assertThat(Integer.parseInt(define(header, "TL_CTX_SLOT_SIZE")))
        .isEqualTo(ThreadContextRegions.SLOT_SIZE);
    assertThat(Integer.parseInt(define(header, "TL_CTX_MAX_SLOTS")))
        .isEqualTo(ThreadContextRegions.MAX_SLOTS);
    assertThat(offset(header, "tl_ctx_header", "magic")).isEqualTo(0);
    assertThat(offset(header, "tl_ctx_header", "version")).isEqualTo(8);
    assertThat(offset(header, "tl_ctx_header", "slot_size")).isEqualTo(12);
    assertThat(offset(header, "tl_ctx_header", "slot_count")).isEqualTo(16);
    assertThat(offset(header, "tl_ctx_header", "tgid")).isEqualTo(20);
  }

  static String define(String header, String name) {
    Matcher m = Pattern.compile("#define " + name + "\\s+(\\S+)").matcher(header);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }

  static int offset(String header, String struct, String field) {
    Matcher m =
        Pattern.compile(
                "offsetof\\(struct " + struct + ", " + Pattern.quote(field) + "\\) == (\\d+)")
            .matcher(header);
    assertThat(m.find()).as(struct + "." + field).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
