package dev.threadline.bridge.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The filter maps' sizes in socket_trace.h against the loader's constants, as EventLayoutTest does
 * for records.
 */
class MapLayoutTest {
  @Test
  void bitmapSizesMatchTheSharedHeader() throws Exception {
    String header = Files.readString(Path.of("src/main/bpf/socket_trace.h"));
    assertThat(define(header, "TL_PID_BITMAP_WORDS")).isEqualTo(PidBitmap.WORDS);
    assertThat(define(header, "TL_PORT_BITMAP_WORDS"))
        .isEqualTo(SocketTraceProgram.PORT_BITMAP_WORDS);
    assertThat(PidBitmap.MAX_PID).as("PID_MAX_LIMIT - 1 on 64-bit Linux").isEqualTo((1 << 22) - 1);
    assertThat(SocketTraceProgram.PORT_BITMAP_WORDS * 64).isEqualTo(65536);
  }

  @Test
  void pressureConstantsMatchTheSharedHeader() throws Exception {
    String header = Files.readString(Path.of("src/main/bpf/socket_trace.h"));
    assertThat(define(header, "TL_PRESSURE_HEAD_CAPTURE"))
        .isEqualTo(SocketTraceProgram.PRESSURE_HEAD_CAPTURE);
    assertThat(enumValue(header, "TL_REDUCED_HEAD")).isEqualTo(SocketTraceProgram.REDUCED_HEAD);
    assertThat(enumValue(header, "TL_REDUCED_NONE")).isEqualTo(SocketTraceProgram.REDUCED_NONE);
  }

  private static int enumValue(String header, String name) {
    Matcher m = Pattern.compile("\\b" + name + " = (\\d+),").matcher(header);
    assertThat(m.find()).as(name).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static int define(String header, String name) {
    Matcher m = Pattern.compile("#define " + name + " (\\d+)").matcher(header);
    assertThat(m.find()).as(name).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
