/**
 * W3C Trace Context level-2 conformance of the agent (incoming headers → SERVER span's parent → the
 * CLIENT span's outgoing headers, checked at a harness the service calls back, and at the test
 * collector). The cases run one at a time against one application JVM; the harness answers
 * callbacks on its HTTP server's thread.
 */
package dev.threadline.agent.it.w3c;
