/** Tests of thread context across the JVM/kernel boundary: publication, BPF stamps, churn. */
package dev.threadline.bridge.context;
