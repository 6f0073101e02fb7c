/**
 * Step 6: the correlator. S spans from the kernel side and A spans from the node's OTLP receiver
 * meet here and are joined into one trace per request, by the rules of DESIGN.md ("How spans
 * join"): TCP sequence across processes, propagated ids in the payload, request ids, proxy identity
 * inside a gateway, thread-context stamps. Joins are written into the node's store (re-parenting,
 * trace merges). {@link dev.threadline.bridge.correlate.Correlator} is thread-safe (one lock); its
 * sweep runs on one scheduled thread.
 */
package dev.threadline.bridge.correlate;
