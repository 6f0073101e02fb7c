/**
 * Test support for the kernel tests: what a test needs of the machine (eBPF, nginx, python3, curl)
 * and what it starts (real nginx, raw events, span collectors). Kernel tests trace real sockets
 * (syscall → ring buffer → decoder → S span); these helpers are used from the test's own thread
 * unless a class says otherwise.
 */
package dev.threadline.bridge.testing;
