package dev.threadline.sdk.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A seeded, structure-aware mutation fuzzer run as a JUnit test: each input is either random bytes
 * or a valid seed changed by a few mutations (bit flips, interesting bytes, truncation, splicing
 * two seeds, a repeated range, a dictionary token, a huge length). Input {@code i} of a run with
 * seed {@code s} depends on {@code s} and {@code i} alone, so a failure names both and {@code
 * -Dthreadline.fuzz.seed=s} replays it.
 *
 * <p>A target fails the run when it throws anything but its documented rejection, or when one input
 * takes longer than the per-input budget (the run goes on a worker thread that a watchdog times).
 *
 * <p>{@code -Dthreadline.fuzz.inputs=N} sets the inputs per target (the long run uses 1,000,000);
 * without it each target runs its CI default, a few seconds' worth.
 */
public final class Fuzzer {
  /** System property: inputs per target. */
  public static final String INPUTS = "threadline.fuzz.inputs";

  /** System property: the run's seed (default: a fresh one, printed on failure). */
  public static final String SEED = "threadline.fuzz.seed";

  /** System property: milliseconds one input may take (default 2000). */
  public static final String BUDGET = "threadline.fuzz.budget.millis";

  /** What is fuzzed: one input, and a random source for structure-aware targets. */
  @FunctionalInterface
  public interface Target {
    void run(byte[] input, SplittableRandom random) throws Exception;
  }

  private final String name;
  private final List<byte[]> seeds = new ArrayList<>();
  private final List<byte[]> dictionary = new ArrayList<>();
  private int maxLength = 4096;
  private int defaultInputs = 20_000;
  private Predicate<Throwable> rejection = t -> false;

  private Fuzzer(String name) {
    this.name = name;
    for (String token : new String[] {"\r\n", "\r\n\r\n", " ", ":", "-", "0", "00", "ff", "\0"}) {
      dictionary.add(token.getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  /** A fuzzer for the target called {@code name} in reports. */
  public static Fuzzer named(String name) {
    return new Fuzzer(name);
  }

  /** A valid input that mutations start from. */
  public Fuzzer seed(byte[] seed) {
    seeds.add(seed.clone());
    return this;
  }

  /** A valid input that mutations start from, in ISO-8859-1. */
  public Fuzzer seed(String seed) {
    return seed(seed.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Tokens the format gives meaning to, inserted or overwritten by mutations. */
  public Fuzzer dictionary(String... tokens) {
    for (String token : tokens) {
      dictionary.add(token.getBytes(StandardCharsets.ISO_8859_1));
    }
    return this;
  }

  /** The longest input generated (mutations may not grow an input past it). */
  public Fuzzer maxLength(int bytes) {
    maxLength = bytes;
    return this;
  }

  /** Inputs when {@value #INPUTS} is not set. */
  public Fuzzer defaultInputs(int inputs) {
    defaultInputs = inputs;
    return this;
  }

  /** The documented way the target refuses an input; anything else thrown fails the run. */
  public Fuzzer rejects(Predicate<Throwable> documented) {
    rejection = documented;
    return this;
  }

  /** Inputs one run generates. */
  public long inputs() {
    return Long.getLong(INPUTS, defaultInputs);
  }

  /**
   * Runs the target on {@link #inputs()} inputs; throws {@link AssertionError} naming the seed and
   * the input on the first failure or hang.
   *
   * @return the inputs run and those the target rejected
   */
  public Result run(Target target) throws InterruptedException {
    long seed = Long.getLong(SEED, new SplittableRandom().nextLong());
    long budgetNanos = Long.getLong(BUDGET, 2000) * 1_000_000L;
    long count = inputs();
    long began = System.nanoTime();
    long[] rejected = {0};
    long[] current = {-1};
    long[] startedAt = {0};
    byte[][] input = {null};
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              for (long i = 0; i < count; i++) {
                SplittableRandom random = new SplittableRandom(seed + i * 0x9E3779B97F4A7C15L);
                byte[] data = generate(random);
                synchronized (current) {
                  input[0] = data;
                  current[0] = i;
                  startedAt[0] = System.nanoTime();
                }
                try {
                  target.run(data, random);
                } catch (Throwable t) {
                  if (rejection.test(t)) {
                    rejected[0]++;
                  } else {
                    failure.set(t);
                    return;
                  }
                }
              }
            },
            "fuzz-" + name);
    worker.setDaemon(true);
    worker.start();
    while (worker.isAlive()) {
      worker.join(100);
      synchronized (current) {
        if (worker.isAlive() && System.nanoTime() - startedAt[0] > budgetNanos && current[0] >= 0) {
          // Where the input is stuck, as the cause.
          Throwable where = new Throwable("where input " + current[0] + " was");
          where.setStackTrace(worker.getStackTrace());
          worker.interrupt();
          throw new AssertionError(
              describe(seed, current[0], input[0])
                  + " ran longer than "
                  + budgetNanos / 1_000_000
                  + " ms",
              where);
        }
      }
    }
    Throwable t = failure.get();
    if (t != null) {
      throw new AssertionError(describe(seed, current[0], input[0]) + " threw " + t, t);
    }
    // One line per target, for the long run's record.
    System.out.printf(
        "fuzz target '%s': %d inputs (%d rejected as documented), seed %d, %d ms%n",
        name, count, rejected[0], seed, (System.nanoTime() - began) / 1_000_000);
    return new Result(count, rejected[0]);
  }

  private String describe(long seed, long index, byte[] data) {
    String hex = HexFormat.of().formatHex(data, 0, Math.min(data.length, 512));
    return "fuzz target '"
        + name
        + "': input "
        + index
        + " of seed "
        + seed
        + " (replay with -D"
        + SEED
        + "="
        + seed
        + "; "
        + data.length
        + " bytes: "
        + hex
        + (data.length > 512 ? "..." : "")
        + ")";
  }

  /** Inputs a run made, and how many of them the target refused the documented way. */
  public record Result(long inputs, long rejected) {}

  // ---- generation ----

  byte[] generate(SplittableRandom random) {
    if (seeds.isEmpty() || random.nextInt(8) == 0) {
      byte[] bytes = new byte[random.nextInt(Math.min(maxLength, 512) + 1)];
      random.nextBytes(bytes);
      return bytes;
    }
    byte[] data = seeds.get(random.nextInt(seeds.size()));
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      data = mutate(data, random);
    }
    // A copy even when no mutation changed it: targets may write to their input, never to a seed.
    return Arrays.copyOf(data, Math.min(data.length, maxLength));
  }

  private byte[] mutate(byte[] data, SplittableRandom random) {
    int n = data.length;
    switch (random.nextInt(9)) {
      case 0: // bit flip
        if (n > 0) {
          data = data.clone();
          data[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
        }
        return data;
      case 1: // interesting byte
        if (n > 0) {
          data = data.clone();
          byte[] interesting = {0, -1, 0x7f, (byte) 0x80, 1, '\r', '\n', ' ', '"', '{', '['};
          data[random.nextInt(n)] = interesting[random.nextInt(interesting.length)];
        }
        return data;
      case 2: // truncation
        return Arrays.copyOf(data, n == 0 ? 0 : random.nextInt(n));
      case 3: // splice with another seed
        {
          byte[] other = seeds.get(random.nextInt(seeds.size()));
          int cut = n == 0 ? 0 : random.nextInt(n + 1);
          int from = other.length == 0 ? 0 : random.nextInt(other.length + 1);
          return concat(slice(data, 0, cut), slice(other, from, other.length));
        }
      case 4: // a range repeated (repeated fields, pipelined messages)
        {
          if (n == 0) {
            return data;
          }
          int from = random.nextInt(n);
          int to = from + 1 + random.nextInt(Math.min(n - from, 256));
          byte[] range = slice(data, from, to);
          byte[] out = slice(data, 0, to);
          for (int r = 1 + random.nextInt(8); r > 0 && out.length < maxLength; r--) {
            out = concat(out, range);
          }
          return concat(out, slice(data, to, n));
        }
      case 5: // dictionary token inserted
        return insert(data, dictionary.get(random.nextInt(dictionary.size())), random);
      case 6: // a huge length: a 5-byte varint, a long decimal, or a max int
        {
          String[] huge = {
            "99999999999999999999", "4294967296", "-1", "2147483647", "ffffffffffff"
          };
          byte[] token =
              random.nextBoolean()
                  ? new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}
                  : huge[random.nextInt(huge.length)].getBytes(StandardCharsets.ISO_8859_1);
          return insert(data, token, random);
        }
      case 7: // a range deleted
        {
          if (n == 0) {
            return data;
          }
          int from = random.nextInt(n);
          int to = from + 1 + random.nextInt(n - from);
          return concat(slice(data, 0, from), slice(data, to, n));
        }
      default: // random bytes overwritten
        {
          if (n == 0) {
            return data;
          }
          data = data.clone();
          int from = random.nextInt(n);
          for (int k = from, end = Math.min(n, from + 1 + random.nextInt(8)); k < end; k++) {
            data[k] = (byte) random.nextInt(256);
          }
          return data;
        }
    }
  }

  private static byte[] insert(byte[] data, byte[] token, SplittableRandom random) {
    int at = random.nextInt(data.length + 1);
    return concat(concat(slice(data, 0, at), token), slice(data, at, data.length));
  }

  private static byte[] slice(byte[] data, int from, int to) {
    return Arrays.copyOfRange(data, from, to);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
