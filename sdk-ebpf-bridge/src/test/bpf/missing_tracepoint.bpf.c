// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* A program for a tracepoint no kernel has: how the loader reports a kernel too old for the bridge. */
#include "vmlinux_subset.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/threadline_no_such_tracepoint")
int tl_missing(void *ctx)
{
	return 0;
}
