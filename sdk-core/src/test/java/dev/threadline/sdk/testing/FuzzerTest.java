package dev.threadline.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The fuzzer reports what its targets do wrong, reproducibly. */
class FuzzerTest {
  @Test
  void anUndocumentedExceptionFailsTheRunNamingTheSeedAndTheInput() {
    Fuzzer fuzzer = Fuzzer.named("planted").seed("GET / HTTP/1.1\r\n\r\n").defaultInputs(100_000);
    assertThatThrownBy(
            () ->
                fuzzer.run(
                    (input, random) -> {
                      if (input.length > 3 && input[0] == 'G' && input[1] != 'E') {
                        throw new IllegalStateException("planted");
                      }
                    }))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("fuzz target 'planted'")
        .hasMessageContaining("replay with -Dthreadline.fuzz.seed=")
        .hasRootCauseMessage("planted");
  }

  @Test
  void theDocumentedRejectionIsCountedNotFailed() throws InterruptedException {
    Fuzzer.Result result =
        Fuzzer.named("rejecting")
            .seed("{}")
            .defaultInputs(1000)
            .rejects(t -> t instanceof IllegalArgumentException)
            .run(
                (input, random) -> {
                  if (input.length != 2) {
                    throw new IllegalArgumentException("not two bytes");
                  }
                });
    assertThat(result.inputs()).isEqualTo(1000);
    assertThat(result.rejected()).isBetween(1L, 999L);
  }

  @Test
  void anInputThatHangsFailsTheRunWithinTheBudget() {
    CountDownLatch never = new CountDownLatch(1);
    System.setProperty(Fuzzer.BUDGET, "300");
    try {
      long started = System.nanoTime();
      assertThatThrownBy(
              () -> Fuzzer.named("hanging").defaultInputs(10).run((i, r) -> never.await()))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("ran longer than 300 ms");
      assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    } finally {
      System.clearProperty(Fuzzer.BUDGET);
    }
  }

  @Test
  void theSameSeedMakesTheSameInputs() throws InterruptedException {
    System.setProperty(Fuzzer.SEED, "42");
    try {
      List<String> first = new ArrayList<>();
      List<String> second = new ArrayList<>();
      Fuzzer fuzzer = Fuzzer.named("replay").seed("abc").seed("defgh").defaultInputs(200);
      fuzzer.run((input, random) -> first.add(new String(input, "ISO-8859-1") + random.nextInt()));
      fuzzer.run((input, random) -> second.add(new String(input, "ISO-8859-1") + random.nextInt()));
      assertThat(first).hasSize(200).isEqualTo(second);
    } finally {
      System.clearProperty(Fuzzer.SEED);
    }
  }
}
