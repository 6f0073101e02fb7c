package dev.threadline.bridge.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The BPF object is committed so that the Java build needs no clang. This test is the guard: if the
 * BPF sources change and src/main/bpf/build.sh was not rerun, the hash differs and the build fails,
 * naming the command to run.
 */
class BpfObjectHashTest {
  private static final Path SOURCES = Path.of("src/main/bpf");
  private static final Path RESOURCES = Path.of("src/main/resources/bpf");

  @Test
  void committedObjectWasBuiltFromTheseSources() throws Exception {
    String committed = Files.readString(RESOURCES.resolve("socket_trace.sha256")).trim();
    assertThat(sourcesHash())
        .as(
            "BPF sources changed: run sdk-ebpf-bridge/src/main/bpf/build.sh and commit the new object and hash")
        .isEqualTo(committed);
  }

  @Test
  void packagedObjectIsTheCommittedOneAndCarriesBtf() throws IOException {
    byte[] onDisk = Files.readAllBytes(RESOURCES.resolve("socket_trace.bpf.o"));
    byte[] packaged;
    try (InputStream in = getClass().getResourceAsStream(SocketTraceProgram.OBJECT_RESOURCE)) {
      assertThat(in).isNotNull();
      packaged = in.readAllBytes();
    }
    assertThat(packaged).isEqualTo(onDisk);
    assertThat(new String(packaged, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("ELF");
    String text = new String(packaged, StandardCharsets.ISO_8859_1);
    assertThat(text.contains(".BTF.ext")).as("CO-RE relocations (.BTF.ext)").isTrue();
    assertThat(text.contains("tp_btf/sock_send_length")).as("the data program's section").isTrue();
  }

  /**
   * Mirrors build.sh: sha256sum lines of the sources, sorted by module-relative path, hashed again.
   */
  static String sourcesHash() throws Exception {
    List<String> files = new java.util.ArrayList<>();
    for (Path dir : List.of(SOURCES, Path.of("src/test/bpf"))) {
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(
                p -> {
                  String n = p.getFileName().toString();
                  return n.endsWith(".bpf.c")
                      || n.endsWith(".h")
                      || (dir.equals(SOURCES) && n.equals("build.sh"));
                })
            .forEach(p -> files.add(p.toString()));
      }
    }
    files.sort(BpfObjectHashTest::compareBytes);
    StringBuilder lines = new StringBuilder();
    for (String f : files) {
      lines.append(sha256(Files.readAllBytes(Path.of(f)))).append("  ").append(f).append('\n');
    }
    return sha256(lines.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static int compareBytes(String a, String b) {
    return java.util.Arrays.compare(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
