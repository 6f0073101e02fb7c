/**
 * Apache HttpClient 5 classic: its module and advice (data path: instrumentation → CLIENT span →\n
 * * export), with helpers in {@code dev.threadline.agent.bootstrap.http}. Advice is inlined into
 * the client and runs on the calling thread; it keeps no state and calls only bootstrap helpers.
 */
package dev.threadline.agent.instrumentation.apachehttpclient5;
