package dev.threadline.bridge.loader;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Reads a {@code BPF_MAP_TYPE_PERCPU_ARRAY} of {@code __u64} counters: one lookup returns every
 * CPU's value of an entry, and the count is their sum.
 */
final class PerCpuCounters {
  private PerCpuCounters() {}

  /** The sum over CPUs of entry {@code index} of the map {@code fd}; -1 when it cannot be read. */
  static long sum(LibBpf bpf, int fd, int index) {
    Runtime runtime = Runtime.getRuntime(bpf);
    int cpus = bpf.libbpf_num_possible_cpus();
    if (cpus <= 0) {
      throw new IllegalStateException("libbpf cannot tell the number of possible CPUs: " + cpus);
    }
    Pointer key = Memory.allocateDirect(runtime, 4);
    key.putInt(0, index);
    // The kernel writes each CPU's value rounded up to 8 bytes: a __u64 fits exactly.
    Pointer values = Memory.allocateDirect(runtime, 8L * cpus);
    if (bpf.bpf_map_lookup_elem(fd, key, values) != 0) {
      return -1;
    }
    long sum = 0;
    for (int cpu = 0; cpu < cpus; cpu++) {
      sum += values.getLong(8L * cpu);
    }
    return sum;
  }
}
