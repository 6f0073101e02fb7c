/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The thread-context region: how a JVM tells the kernel side which span each of its threads is in, with no syscall
 * per context switch. Written by sdk-core's publisher (dev.threadline.sdk.context.ThreadContextLayout mirrors every
 * number here; ThreadContextLayoutTest checks them), read by socket_trace.bpf.c with bpf_probe_read_user.
 *
 * The process maps one file, /dev/shm/threadline-ctx.<tgid>, shared, of TL_CTX_HEADER_SIZE + slot_count *
 * TL_CTX_SLOT_SIZE bytes. A thread claims a slot once (compare-and-set of owner_tid from 0 to its tid, at index
 * tid & (slot_count - 1) or one of the next TL_CTX_PROBES - 1), writes its start time, and from then on writes only
 * its own record on every context switch: valid = 0, the ids and flags, a release fence, valid = 1. The reader
 * runs inside the owner's own syscall, so the owner is never mid-write; a slot whose owner_tid or owner_start does
 * not match the calling task (a dead thread's slot, a reused tid) is never trusted.
 *
 * The record (offset TL_CTX_RECORD in a slot) is OpenTelemetry's thread-context record (OTEP 4947): 28-byte header
 * trace_id[16] span_id[8] valid u8 trace_flags u8 attrs_data_size u16, native endian; Threadline writes no
 * attributes (attrs_data_size = 0).
 */
#ifndef THREADLINE_THREAD_CONTEXT_H
#define THREADLINE_THREAD_CONTEXT_H

#define TL_CTX_MAGIC 0x5854434c4e4c5454ULL /* "TTLNLCTX" read as a little-endian u64 */
#define TL_CTX_VERSION 1
#define TL_CTX_HEADER_SIZE 64
#define TL_CTX_SLOT_SIZE 64
#define TL_CTX_PROBES 4 /* slots tried from tid & (slot_count - 1), by writer and reader alike */
#define TL_CTX_MAX_SLOTS 65536
/* owner_start unit: /proc/<pid>/task/<tid>/stat's starttime, clock ticks (USER_HZ = 100) since boot. */
#define TL_CTX_NS_PER_TICK 10000000ULL

struct tl_ctx_header {
	__u64 magic; /* TL_CTX_MAGIC */
	__u32 version; /* TL_CTX_VERSION */
	__u32 slot_size; /* TL_CTX_SLOT_SIZE */
	__u32 slot_count; /* a power of two, <= TL_CTX_MAX_SLOTS */
	__u32 tgid; /* the process that owns the region */
	__u64 claims; /* slots claimed since start (threads come and go) */
	__u64 full; /* threads that found no free slot among their TL_CTX_PROBES: they are never stamped */
	__u8 reserved[24];
};

struct tl_ctx_record { /* OTEP 4947 thread-context record header */
	__u8 trace_id[16];
	__u8 span_id[8];
	__u8 valid; /* 1: the ids are complete and current; 0: no span, or being written */
	__u8 trace_flags;
	__u16 attrs_data_size;
};

struct tl_ctx_slot {
	__u32 owner_tid; /* 0: free */
	__u32 reserved;
	__u64 owner_start; /* the owner's start time, TL_CTX_NS_PER_TICK units since boot (task->start_boottime) */
	struct tl_ctx_record record;
	__u8 padding[20];
};

_Static_assert(sizeof(struct tl_ctx_header) == TL_CTX_HEADER_SIZE, "header size");
_Static_assert(__builtin_offsetof(struct tl_ctx_header, magic) == 0, "magic");
_Static_assert(__builtin_offsetof(struct tl_ctx_header, version) == 8, "version");
_Static_assert(__builtin_offsetof(struct tl_ctx_header, slot_size) == 12, "slot_size");
_Static_assert(__builtin_offsetof(struct tl_ctx_header, slot_count) == 16, "slot_count");
_Static_assert(__builtin_offsetof(struct tl_ctx_header, tgid) == 20, "tgid");
_Static_assert(__builtin_offsetof(struct tl_ctx_header, claims) == 24, "claims");
_Static_assert(__builtin_offsetof(struct tl_ctx_header, full) == 32, "full");
_Static_assert(sizeof(struct tl_ctx_record) == 28, "OTEP 4947 record header");
_Static_assert(sizeof(struct tl_ctx_slot) == TL_CTX_SLOT_SIZE, "slot size");
_Static_assert(__builtin_offsetof(struct tl_ctx_slot, owner_tid) == 0, "owner_tid");
_Static_assert(__builtin_offsetof(struct tl_ctx_slot, owner_start) == 8, "owner_start");
_Static_assert(__builtin_offsetof(struct tl_ctx_slot, record) == 16, "record");
_Static_assert(__builtin_offsetof(struct tl_ctx_slot, record.trace_id) == 16, "trace_id");
_Static_assert(__builtin_offsetof(struct tl_ctx_slot, record.span_id) == 32, "span_id");
_Static_assert(__builtin_offsetof(struct tl_ctx_slot, record.valid) == 40, "valid");
_Static_assert(__builtin_offsetof(struct tl_ctx_slot, record.trace_flags) == 41, "trace_flags");
_Static_assert(__builtin_offsetof(struct tl_ctx_slot, record.attrs_data_size) == 42, "attrs_data_size");

#endif /* THREADLINE_THREAD_CONTEXT_H */
