#!/bin/sh
# Regenerates the committed BPF objects and the hash of their sources:
#   sdk-ebpf-bridge/src/main/bpf/build.sh
# Needs clang (with the BPF target), llvm (llvm-strip) and libbpf-dev (bpf_helpers.h, bpf_core_read.h); the Java
# build does not: it uses the committed objects.
# Writes src/main/resources/bpf/socket_trace.bpf.o (the tracer), src/main/resources/bpf/socket_trace.sha256, and
# the test objects in src/test/resources/bpf/: one the verifier must reject and one for a tracepoint no kernel has
# (the loader's tests), and the empty reference programs the syscall overhead harness measures against.
# BpfObjectHashTest fails the build when the sources change without running this script.
set -eu
module=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$module"
arch=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
compile() { # source output
  mkdir -p "$(dirname "$2")"
  clang -g -O2 -target bpf -D__TARGET_ARCH_"$arch" -Wall -Werror -Isrc/main/bpf -c "$1" -o "$2"
  # Drop DWARF (it embeds build paths); keep .BTF and .BTF.ext, which CO-RE needs.
  llvm-strip -g "$2"
}
compile src/main/bpf/socket_trace.bpf.c src/main/resources/bpf/socket_trace.bpf.o
for source in src/test/bpf/*.bpf.c; do
  compile "$source" "src/test/resources/bpf/$(basename "$source" .c).o"
done
# sha256sum lines of every source, sorted by path (C locale), hashed again; mirrored by BpfObjectHashTest.
ls src/main/bpf/*.bpf.c src/main/bpf/*.h src/main/bpf/build.sh src/test/bpf/*.bpf.c src/test/bpf/*.h | LC_ALL=C sort \
  | while read -r f; do sha256sum "$f"; done | sha256sum | cut -d' ' -f1 > src/main/resources/bpf/socket_trace.sha256
echo "wrote socket_trace.bpf.o ($(wc -c < src/main/resources/bpf/socket_trace.bpf.o) bytes), the test objects, sources sha256 $(cat src/main/resources/bpf/socket_trace.sha256)"
