package org.tertulia.bench;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * Just enough JSON reading for the hot path: both servers write {@code "type"} first and
 * our texts, names and numbers are plain ASCII, so a frame is classified by a byte or two
 * and a field found by a short scan. No trees, no strings per frame.
 */
final class Wire {

    static final byte[] TYPE_PREFIX = ascii("{\"type\":\"");
    static final byte[] TYPE_KEY = ascii("\"type\":\"");
    static final byte[] TEXT_KEY = ascii("\"text\":\"");
    static final byte[] ID_KEY = ascii("\"id\":");

    private Wire() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Index of the first byte of the type's value, or -1. */
    static int typeValue(ByteBuf b, int from, int to) {
        if (startsWith(b, from, to, TYPE_PREFIX)) {
            return from + TYPE_PREFIX.length;
        }
        int at = indexOf(b, from, to, TYPE_KEY);
        return at < 0 ? -1 : at + TYPE_KEY.length;
    }

    static boolean startsWith(ByteBuf b, int at, int to, byte[] p) {
        if (to - at < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (b.getByte(at + i) != p[i]) {
                return false;
            }
        }
        return true;
    }

    /** First index of {@code p} in [from, to), or -1. */
    static int indexOf(ByteBuf b, int from, int to, byte[] p) {
        byte first = p[0];
        int last = to - p.length;
        for (int i = from; i <= last; i++) {
            if (b.getByte(i) == first && startsWith(b, i, to, p)) {
                return i;
            }
        }
        return -1;
    }

    /** How many times {@code p} occurs in [from, to). */
    static int count(ByteBuf b, int from, int to, byte[] p) {
        int n = 0;
        int i = from;
        while (true) {
            int at = indexOf(b, i, to, p);
            if (at < 0) {
                return n;
            }
            n++;
            i = at + p.length;
        }
    }

    /** The non-negative decimal number starting at {@code at}; stops at the first non-digit. */
    static long number(ByteBuf b, int at, int to) {
        long v = 0;
        for (int i = at; i < to; i++) {
            int c = b.getByte(i) - '0';
            if (c < 0 || c > 9) {
                break;
            }
            v = v * 10 + c;
        }
        return v;
    }

    // The same scans over a plain array, for message frames: ChatClient.onMessage copies each
    // one once and scans the copy. Ids, types and userlists are still read from the buffer.

    static boolean startsWith(byte[] a, int at, int to, byte[] p) {
        if (to - at < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (a[at + i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    /** First index of {@code p} in [from, to) of {@code a}, or -1. */
    static int indexOf(byte[] a, int from, int to, byte[] p) {
        byte first = p[0];
        int last = to - p.length;
        for (int i = from; i <= last; i++) {
            if (a[i] == first && startsWith(a, i, to, p)) {
                return i;
            }
        }
        return -1;
    }

    /** The non-negative decimal number starting at {@code at}; stops at the first non-digit. */
    static long number(byte[] a, int at, int to) {
        long v = 0;
        for (int i = at; i < to; i++) {
            int c = a[i] - '0';
            if (c < 0 || c > 9) {
                break;
            }
            v = v * 10 + c;
        }
        return v;
    }

    /** Index of {@code c} at or after {@code from}, or -1. */
    static int indexOf(byte[] a, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (a[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
