package dev.threadline.bridge.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.loader.TraceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * socket_trace.h pins every field offset with _Static_assert (checked by clang); this test checks
 * the Java decoder's constants against the same lines, closing the loop without clang.
 */
class EventLayoutTest {
  private static final Path HEADER = Path.of("src/main/bpf/socket_trace.h");

  @Test
  void javaOffsetsMatchTheSharedHeader() throws Exception {
    String header = Files.readString(HEADER);
    Matcher m = Pattern.compile("offsetof\\(struct tl_event, (\\w+)\\) == (\\d+)").matcher(header);
    Map<String, Integer> offsets = new LinkedHashMap<>();
    while (m.find()) {
      offsets.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    assertThat(offsets).hasSize(22);
    for (Map.Entry<String, Integer> field : offsets.entrySet()) {
      int javaValue =
          EventLayout.class.getField(field.getKey().toUpperCase(Locale.ROOT)).getInt(null);
      assertThat(javaValue).as(field.getKey()).isEqualTo(field.getValue());
    }
    assertThat(define(header, "TL_EVENT_HEADER_SIZE")).isEqualTo(EventLayout.HEADER_SIZE);
    assertThat(define(header, "TL_DEFAULT_CAPTURE")).isEqualTo(TraceConfig.DEFAULT_CAPTURE);
    assertThat(define(header, "TL_MAX_CAPTURE")).isEqualTo(TraceConfig.MAX_CAPTURE);
  }

  @Test
  void enumCodesMatchTheSharedHeader() throws Exception {
    String header = Files.readString(HEADER);
    assertThat(enumValue(header, "TL_EVENT_DATA")).isEqualTo(EventLayout.TYPE_DATA);
    assertThat(enumValue(header, "TL_EVENT_ACCEPT")).isEqualTo(EventLayout.TYPE_ACCEPT);
    assertThat(enumValue(header, "TL_EVENT_CONNECT")).isEqualTo(EventLayout.TYPE_CONNECT);
    assertThat(enumValue(header, "TL_EVENT_CLOSE")).isEqualTo(EventLayout.TYPE_CLOSE);
    assertThat(enumValue(header, "TL_EGRESS")).isEqualTo(Direction.EGRESS.ordinal());
    assertThat(enumValue(header, "TL_INGRESS")).isEqualTo(Direction.INGRESS.ordinal());
    for (Syscall s : Syscall.values()) {
      assertThat(enumValue(header, "TL_SYS_" + s.name())).as(s.name()).isEqualTo(s.ordinal());
    }
    assertThat(Pattern.compile("\\bTL_SYS_\\w+ = ").matcher(header).results().count())
        .as("every syscall code has a Java constant")
        .isEqualTo(Syscall.values().length);
  }

  private static int define(String header, String name) {
    Matcher m = Pattern.compile("#define " + name + " (\\d+)").matcher(header);
    assertThat(m.find()).as(name).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static int enumValue(String header, String name) {
    Matcher m = Pattern.compile("\\b" + name + " = (\\d+)").matcher(header);
    assertThat(m.find()).as(name).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
