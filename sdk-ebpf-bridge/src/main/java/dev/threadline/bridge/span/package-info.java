/**
 * Step 5: request/response pairing per socket into system (S) spans, and the pipeline that runs
 * steps 1-5.
 */
package dev.threadline.bridge.span;
