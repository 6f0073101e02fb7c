// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A program the verifier must reject (a map value used without the NULL check), so that
 * the loader's "verifier rejected" path is tested against the real kernel.
 */
#include "vmlinux_subset.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH); /* a hash lookup may return NULL */
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counter SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int tl_rejected(void *ctx)
{
	__u32 zero = 0;
	__u64 *value = bpf_map_lookup_elem(&counter, &zero);
	*value += 1; /* no NULL check: rejected */
	return 0;
}
