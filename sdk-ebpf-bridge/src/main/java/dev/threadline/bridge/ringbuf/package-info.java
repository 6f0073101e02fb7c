/** Step 2: the thread that drains the BPF ring buffer. */
package dev.threadline.bridge.ringbuf;
