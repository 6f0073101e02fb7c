/** Step 4: HTTP/1.x parsing of each socket direction, syscall by syscall. */
package dev.threadline.bridge.http;
