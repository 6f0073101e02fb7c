package dev.threadline.bridge.span;

/** A socket end as seen by one process: the same kernel socket shared by two processes is two keys. */
record SocketKey(int pid, long sockId) {}
