/**
 * The executors instrumentation's helpers on the bootstrap class path: the context captured when a
 * task is handed off and restored on the thread that runs it (data path: instrumentation → span
 * context → the spans of the task). Called concurrently from submitting and worker threads; the
 * captured contexts are held in a weak, concurrent identity map.
 */
package dev.threadline.agent.bootstrap.executors;
