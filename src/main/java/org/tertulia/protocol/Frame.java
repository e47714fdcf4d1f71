package org.tertulia.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One server message as it goes on the wire: a complete WebSocket text frame (RFC 6455
 * header, unmasked as a server's frames are, then the UTF-8 JSON), made once and written as
 * it is to every recipient of a broadcast, so no recipient costs an encoding or a framing.
 * The bytes live outside the heap, where a socket write takes them from without the copy
 * Java makes of a heap buffer first: one copy per broadcast instead of one per recipient.
 */
public final class Frame {

    private final ByteBuffer wire;
    private final int header;

    private Frame(ByteBuffer wire, int header) {
        this.wire = wire;
        this.header = header;
    }

    /** The text frame carrying {@code json}. */
    public static Frame of(String json) {
        return ofUtf8(json.getBytes(StandardCharsets.UTF_8), 0, -1);
    }

    /**
     * The text frame carrying the UTF-8 bytes {@code utf8[0..length)}; {@code length} -1 for
     * all of them.
     */
    public static Frame ofUtf8(byte[] utf8, int offset, int length) {
        int payload = length < 0 ? utf8.length - offset : length;
        int header = headerLength(payload);
        byte[] head = new byte[header];
        writeHeader(head, 0x1, payload);
        ByteBuffer wire = ByteBuffer.allocateDirect(header + payload).put(head).put(utf8, offset, payload).flip();
        return new Frame(wire.asReadOnlyBuffer(), header);
    }

    /** Bytes of a frame header for a payload of {@code payload} bytes. */
    public static int headerLength(int payload) {
        return payload < 126 ? 2 : payload < 65_536 ? 4 : 10;
    }

    /** Writes the header of a final, unmasked frame with this opcode and payload length at the start of {@code into}. */
    public static void writeHeader(byte[] into, int opcode, int payload) {
        into[0] = (byte) (0x80 | opcode);
        if (payload < 126) {
            into[1] = (byte) payload;
        } else if (payload < 65_536) {
            into[1] = 126;
            into[2] = (byte) (payload >>> 8);
            into[3] = (byte) payload;
        } else {
            into[1] = 127;
            long length = payload;
            for (int i = 0; i < 8; i++) {
                into[2 + i] = (byte) (length >>> (56 - 8 * i));
            }
        }
    }

    /** The whole frame, header and payload, as a buffer of its own (its position is the caller's); read-only. */
    public ByteBuffer wire() {
        return wire.duplicate();
    }

    /** Size of the payload, the JSON's UTF-8 bytes. */
    public int bytes() {
        return wire.limit() - header;
    }

    /** Size on the wire, header included. */
    public int wireBytes() {
        return wire.limit();
    }

    /** The JSON text. Decodes the bytes again: for tests and diagnostics, not the hot path. */
    public String json() {
        return StandardCharsets.UTF_8.decode(wire.duplicate().position(header)).toString();
    }

    @Override
    public String toString() {
        return "Frame[" + json() + "]";
    }
}
