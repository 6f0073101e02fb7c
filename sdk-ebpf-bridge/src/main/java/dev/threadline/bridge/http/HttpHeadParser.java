package dev.threadline.bridge.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parses a complete HTTP/1.x head (start line + header lines + blank line). */
final class HttpHeadParser {
    private static final String[] METHODS = {
        "GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "
    };
    private static final String RESPONSE_PREFIX = "HTTP/1.";

    private HttpHeadParser() {}

    /**
     * Whether {@code length} bytes at {@code offset} can be the start of an HTTP/1.x message.
     * A short prefix ("GE") is accepted when it is consistent with a method or "HTTP/1.".
     */
    static boolean looksLikeStart(byte[] data, int offset, int length) {
        if (length <= 0) {
            return false;
        }
        if (prefixMatches(data, offset, length, RESPONSE_PREFIX)) {
            return true;
        }
        for (String method : METHODS) {
            if (prefixMatches(data, offset, length, method)) {
                return true;
            }
        }
        return false;
    }

    private static boolean prefixMatches(byte[] data, int offset, int length, String token) {
        int n = Math.min(length, token.length());
        for (int i = 0; i < n; i++) {
            if (data[offset + i] != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Parses {@code head} (ending in CRLF CRLF); returns null when it is not valid HTTP/1.x. */
    static HttpMessage parse(byte[] head, int length) {
        return parse(head, length, false);
    }

    /**
     * Parses the captured beginning of a head that continues past the captured bytes: the
     * complete lines only. Returns null when not even the start line is complete.
     */
    static HttpMessage parseTruncated(byte[] head, int length) {
        int lastNewline = length - 1;
        while (lastNewline >= 0 && head[lastNewline] != '\n') {
            lastNewline--;
        }
        return lastNewline < 0 ? null : parse(head, lastNewline + 1, true);
    }

    private static HttpMessage parse(byte[] head, int length, boolean truncated) {
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        if (lines.length == 0) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue; // blank terminator or an obsolete folded line
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        String start = lines[0];
        if (start.startsWith(RESPONSE_PREFIX)) {
            String[] parts = start.split(" ", 3);
            if (parts.length < 2 || parts[1].length() != 3) {
                return null;
            }
            try {
                return new HttpMessage(false, null, null, parts[0], Integer.parseInt(parts[1]), headers, length, truncated);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        String[] parts = start.split(" ");
        if (parts.length != 3 || !parts[2].startsWith(RESPONSE_PREFIX)) {
            return null;
        }
        return new HttpMessage(true, parts[0], parts[1], parts[2], 0, headers, length, truncated);
    }
}
