package org.tertulia.room;

/**
 * One encoded frame, shared by every recipient of a broadcast. {@code bytes} is its
 * UTF-8 size, counted once so outboxes can bound their queues without re-encoding.
 */
public record Frame(String json, int bytes) {

    public static Frame of(String json) {
        return new Frame(json, utf8Length(json));
    }

    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // four bytes for the pair, counted as two chars already
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
