/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one thing the reference programs do: count their calls in a per-CPU counter, so that a harness or a test
 * can prove the programs ran while attached and did not while detached (a silent no-op attach would otherwise
 * read as a free tracer). A per-CPU slot costs one map lookup and no shared cache line.
 */
#ifndef REFERENCE_CALLS_H
#define REFERENCE_CALLS_H

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

static __always_inline int count_call(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&calls, &zero);
	if (n)
		*n += 1;
	return 0;
}

#endif
