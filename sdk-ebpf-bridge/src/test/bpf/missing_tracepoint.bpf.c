// SPDX-License-Identifier: Apache-2.0
/* A program for a tracepoint no kernel has: how the loader reports a kernel too old for the bridge. */
#include "vmlinux_subset.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/threadline_no_such_tracepoint")
int tl_missing(void *ctx)
{
	return 0;
}
