/**
 * Step 5: request/response pairing per socket into system (S) spans, and the pipeline that runs
 * steps 1-5 (syscall → ring buffer → decoder → parser → S span). The assembler runs on the one
 * consumer thread that drains the ring buffer; {@link dev.threadline.bridge.span.SpanJson} may be
 * called from any thread.
 */
package dev.threadline.bridge.span;
