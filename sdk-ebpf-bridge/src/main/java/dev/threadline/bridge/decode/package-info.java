/** Step 3: raw struct tl_event records (src/main/bpf/socket_trace.h) to immutable events. */
package dev.threadline.bridge.decode;
