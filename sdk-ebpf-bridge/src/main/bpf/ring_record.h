/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Writing events into the `events` ring buffer: size classes, the payload copy, when to wake the reader, lost
 * events. Part of socket_trace.bpf.c, included after its maps.
 */
#ifndef THREADLINE_RING_RECORD_H
#define THREADLINE_RING_RECORD_H

/*
 * Wake the reader only once an eighth of the ring has piled up. By default a record wakes a reader that has caught
 * up, and that wake-up costs more than the record itself; the reader also polls on a short timeout, so records
 * written in a quiet period are still read within that timeout.
 */
static __always_inline __u64 wakeup_flags(struct tl_config *cfg)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg->wakeup_bytes ? BPF_RB_FORCE_WAKEUP
										  : BPF_RB_NO_WAKEUP;
}

static __always_inline int count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

static __always_inline void count_reduced(__u32 level)
{
	__u64 *n = bpf_map_lookup_elem(&reduced, &level);
	if (n)
		__sync_fetch_and_add(n, 1); /* this CPU's slot: uncontended, but a preempted program may share it */
}

/* The payload to capture with `pending` bytes waiting in the ring: all of `want`, a head, or none. */
static __always_inline __u32 shed_payload(struct tl_config *cfg, __u64 pending, __u32 want)
{
	if (want == 0 || pending < cfg->shed_head_bytes)
		return want;
	if (pending >= cfg->shed_all_bytes) {
		count_reduced(TL_REDUCED_NONE);
		return 0;
	}
	if (want > TL_PRESSURE_HEAD_CAPTURE) {
		count_reduced(TL_REDUCED_HEAD);
		return TL_PRESSURE_HEAD_CAPTURE;
	}
	return want;
}

/*
 * min(v, max), written in assembly: clang knows v <= max already (the caller chose the size class by it) and would
 * drop a C comparison, leaving the verifier without the bound it needs for the copy length.
 */
static __always_inline __u32 clamp_for_verifier(__u32 v, const __u32 max)
{
	asm volatile("if %0 <= %1 goto +1; %0 = %1" : "+r"(v) : "i"(max));
	return v;
}

/*
 * A ring-buffer reservation needs a size known to the verifier, so a record is reserved in the smallest size class
 * that holds its payload; the reader goes by tl_event.captured. A plain buffer may fill its class. An iovec gather
 * uses half of it at most (it needs the slack to prove its bounds), and has only three classes, because each one
 * is a loop the verifier walks through.
 */
#define RECORD(size)                 \
	struct record_##size {       \
		struct tl_event hdr; \
		__u8 payload[size];  \
	};

#define BUFFER_CLASS(size)                                                                                     \
	RECORD(size)                                                                                           \
	static __always_inline int emit_buffer_##size(__u64 wakeup, struct tl_event *hdr, __u64 addr,        \
						      __u32 want)                                              \
	{                                                                                                      \
		struct record_##size *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);                         \
		if (!r)                                                                                        \
			return count_lost();                                                                   \
		__builtin_memcpy(&r->hdr, hdr, sizeof(*hdr));                                                  \
		want = clamp_for_verifier(want, size);                                                         \
		r->hdr.captured = bpf_probe_read_user(r->payload, want, (void *)addr) ? 0 : want;              \
		bpf_ringbuf_submit(r, wakeup);                                                                 \
		return 0;                                                                                      \
	}

#define IOVEC_CLASS(size)                                                                          \
	static __always_inline int emit_iovecs_##size(__u64 wakeup, struct tl_event *hdr,        \
						      struct user_buffer *b, __u32 want)           \
	{                                                                                          \
		struct record_##size *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);             \
		if (!r)                                                                            \
			return count_lost();                                                       \
		__builtin_memcpy(&r->hdr, hdr, sizeof(*hdr));                                      \
		r->hdr.captured = copy_iovecs(r->payload, size / 2, b->addr, b->iovcnt, want);     \
		bpf_ringbuf_submit(r, wakeup);                                                     \
		return 0;                                                                          \
	}

BUFFER_CLASS(128)
BUFFER_CLASS(256)
BUFFER_CLASS(512)
BUFFER_CLASS(1024)
BUFFER_CLASS(2048)
BUFFER_CLASS(4096)
BUFFER_CLASS(8192)
BUFFER_CLASS(16384)
RECORD(32768)
IOVEC_CLASS(256)
IOVEC_CLASS(2048)
IOVEC_CLASS(32768)

/* A data record: the header and `want` payload bytes from b, submitted with `wakeup` (BPF_RB_*_WAKEUP). */
static __always_inline int emit(__u64 wakeup, struct tl_event *hdr, struct user_buffer *b, __u32 want)
{
	if (want == 0 || b->addr == 0) {
		hdr->captured = 0;
		if (bpf_ringbuf_output(&events, hdr, sizeof(*hdr), wakeup))
			count_lost();
		return 0;
	}
	if (b->iovcnt > 0) {
		if (want <= 128)
			return emit_iovecs_256(wakeup, hdr, b, want);
		if (want <= 1024)
			return emit_iovecs_2048(wakeup, hdr, b, want);
		return emit_iovecs_32768(wakeup, hdr, b, want);
	}
	if (want <= 128)
		return emit_buffer_128(wakeup, hdr, b->addr, want);
	if (want <= 256)
		return emit_buffer_256(wakeup, hdr, b->addr, want);
	if (want <= 512)
		return emit_buffer_512(wakeup, hdr, b->addr, want);
	if (want <= 1024)
		return emit_buffer_1024(wakeup, hdr, b->addr, want);
	if (want <= 2048)
		return emit_buffer_2048(wakeup, hdr, b->addr, want);
	if (want <= 4096)
		return emit_buffer_4096(wakeup, hdr, b->addr, want);
	if (want <= 8192)
		return emit_buffer_8192(wakeup, hdr, b->addr, want);
	return emit_buffer_16384(wakeup, hdr, b->addr, want);
}

#endif /* THREADLINE_RING_RECORD_H */
