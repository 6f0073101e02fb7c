package dev.threadline.bridge.loader;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/**
 * jnr-ffi binding to the handful of libbpf 1.x calls the bridge needs: open an object from memory,
 * load it, attach its programs, touch its maps, consume its ring buffer.
 *
 * <p>libbpf 1.x returns NULL and sets errno on failure for pointer-returning calls, and a negative
 * errno for int-returning ones; {@link SaveError} keeps errno readable afterwards.
 */
public interface LibBpf {

  /** {@code ring_buffer_sample_fn}: called on the polling thread for each record. */
  interface SampleCallback {
    @Delegate
    int onSample(Pointer ctx, Pointer data, @size_t long size);
  }

  /** {@code libbpf_print_fn_t}; {@code args} is the C {@code va_list}. */
  interface PrintCallback {
    @Delegate
    int print(int level, Pointer format, Pointer args);
  }

  @SaveError
  Pointer bpf_object__open_mem(Pointer buffer, @size_t long size, Pointer opts);

  @SaveError
  int bpf_object__load(Pointer object);

  void bpf_object__close(Pointer object);

  Pointer bpf_object__next_program(Pointer object, Pointer previous);

  String bpf_program__name(Pointer program);

  @SaveError
  Pointer bpf_program__attach(Pointer program);

  int bpf_link__destroy(Pointer link);

  Pointer bpf_object__find_map_by_name(Pointer object, String name);

  int bpf_map__set_max_entries(Pointer map, int maxEntries);

  int bpf_map__fd(Pointer map);

  @SaveError
  int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

  @SaveError
  int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

  @SaveError
  int bpf_map_delete_elem(int fd, Pointer key);

  // ring_buffer__*: the libbpf reader that the mapped reader was benchmarked against (test
  // sources).
  @SaveError
  Pointer ring_buffer__new(int mapFd, SampleCallback callback, Pointer ctx, Pointer opts);

  int ring_buffer__poll(Pointer ringBuffer, int timeoutMs);

  int ring_buffer__consume(Pointer ringBuffer);

  void ring_buffer__free(Pointer ringBuffer);

  int libbpf_num_possible_cpus();

  PrintCallback libbpf_set_print(PrintCallback callback);
}
