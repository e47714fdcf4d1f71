package org.tertulia.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what a client sends on a WebSocket (RFC 6455, no extensions): masked frames, which it
 * unmasks and puts together into whole messages, control frames between their fragments, and
 * everything the RFC says a server must refuse (a close code follows). Holds no buffer of its
 * own between messages, so an idle connection costs little. One reader per connection, used by
 * one thread at a time.
 */
final class FrameReader {

    /** What a reader finds. */
    interface Listener {

        void onText(String text);

        /** A whole binary message; its content is of no use to this protocol and is not kept. */
        void onBinary();

        void onPing(byte[] payload);

        void onPong();

        /** The client's close frame: {@code code} 1005 when it carried none. */
        void onClose(int code, String reason);

        /** What the client sent breaks the protocol: close with this code. */
        void onViolation(int code, String reason);
    }

    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_TEXT = 1007;
    static final int TOO_BIG = 1009;

    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final long maxMessageBytes;
    private final Listener listener;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    // The frame being read.
    private final byte[] head = new byte[14];
    private int headRead;
    private int headNeeded = 2;
    private boolean fin;
    private int opcode;
    private long remaining;
    private final byte[] mask = new byte[4];
    private long maskIndex;
    // A control frame's payload, read whole before it is acted on.
    private byte[] control;
    private int controlRead;
    // The message being put together from data frames: its type, and its bytes so far.
    private int messageType;
    private byte[] message;
    private int messageLength;
    private boolean stopped;

    /**
     * {@code maxMessageBytes}: the most a message may hold, in UTF-8 bytes; a frame that would
     * take a message past it is refused (1009) as soon as its header shows it, before its
     * payload is read: its bytes are never held.
     */
    FrameReader(long maxMessageBytes, Listener listener) {
        this.maxMessageBytes = maxMessageBytes;
        this.listener = listener;
    }

    /** Reads all it can from {@code in}; false once reading must stop (a close, or a violation). */
    boolean read(ByteBuffer in) {
        while (!stopped && in.hasRemaining()) {
            if (headRead < headNeeded) {
                readHead(in);
            } else {
                readPayload(in);
            }
        }
        return !stopped;
    }

    private void readHead(ByteBuffer in) {
        while (headRead < headNeeded && in.hasRemaining()) {
            head[headRead++] = in.get();
            if (headRead == 2) {
                headNeeded = 2 + lengthBytes(head[1] & 0x7F) + ((head[1] & 0x80) != 0 ? 4 : 0);
            }
        }
        if (headRead == headNeeded) {
            startFrame();
        }
    }

    private static int lengthBytes(int length7) {
        return length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    }

    private void startFrame() {
        fin = (head[0] & 0x80) != 0;
        opcode = head[0] & 0x0F;
        int length7 = head[1] & 0x7F;
        long length = lengthBytes(length7) == 0 ? length7 : 0;
        int at = 2;
        for (int i = 0; i < lengthBytes(length7); i++) {
            length = length << 8 | (head[at++] & 0xFF);
        }
        if ((head[1] & 0x80) != 0) {
            System.arraycopy(head, at, mask, 0, 4);
        }
        if ((head[0] & 0x70) != 0) {
            violation(PROTOCOL_ERROR, "reserved bits set: no extension was agreed");
        } else if ((head[1] & 0x80) == 0) {
            violation(PROTOCOL_ERROR, "a client's frames must be masked");
        } else if (length < 0) {
            violation(PROTOCOL_ERROR, "frame length out of range");
        } else if (opcode >= CLOSE) {
            startControl(length);
        } else {
            startData(length);
        }
        remaining = length;
        maskIndex = 0;
        if (!stopped && remaining == 0) {
            endFrame();
        }
    }

    private void startControl(long length) {
        if (opcode > PONG) {
            violation(PROTOCOL_ERROR, "unknown opcode " + opcode);
        } else if (!fin || length > 125) {
            violation(PROTOCOL_ERROR, "a control frame must be whole and at most 125 bytes");
        } else {
            control = new byte[(int) length];
            controlRead = 0;
        }
    }

    private void startData(long length) {
        if (opcode == 0) {
            if (messageType == 0) {
                violation(PROTOCOL_ERROR, "a continuation frame with no message to continue");
                return;
            }
        } else if (opcode == TEXT || opcode == BINARY) {
            if (messageType != 0) {
                violation(PROTOCOL_ERROR, "a new message before the last one ended");
                return;
            }
            messageType = opcode;
            messageLength = 0;
        } else {
            violation(PROTOCOL_ERROR, "unknown opcode " + opcode);
            return;
        }
        if (messageLength + length > maxMessageBytes) {
            violation(TOO_BIG, "message too large");
        } else if (messageType == TEXT) {
            int needed = (int) (messageLength + length);
            if (message == null || message.length < needed) {
                message = Arrays.copyOf(message == null ? new byte[0] : message, Math.max(needed, 256));
            }
        }
    }

    private void readPayload(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        if (control != null) {
            in.get(control, controlRead, n);
            unmask(control, controlRead, n);
            controlRead += n;
        } else if (messageType == TEXT) {
            in.get(message, messageLength, n);
            unmask(message, messageLength, n);
            messageLength += n;
        } else {
            in.position(in.position() + n); // binary: refused once whole; nothing to keep
        }
        remaining -= n;
        if (remaining == 0) {
            endFrame();
        }
    }

    private void unmask(byte[] bytes, int from, int length) {
        for (int i = 0; i < length; i++) {
            bytes[from + i] ^= mask[(int) (maskIndex++ & 3)];
        }
    }

    private void endFrame() {
        headRead = 0;
        headNeeded = 2;
        if (opcode >= CLOSE) {
            byte[] payload = control;
            control = null;
            endControl(payload);
        } else if (fin) {
            endMessage();
        }
    }

    private void endControl(byte[] payload) {
        if (opcode == PING) {
            listener.onPing(payload);
        } else if (opcode == PONG) {
            listener.onPong();
        } else {
            stopped = true;
            if (payload.length == 1) {
                listener.onViolation(PROTOCOL_ERROR, "a close frame's code takes two bytes");
                return;
            }
            int code = payload.length == 0 ? 1005 : (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
            String reason = payload.length > 2 ? decode(payload, 2, payload.length - 2) : "";
            if (reason == null) {
                listener.onViolation(INVALID_TEXT, "a close reason must be UTF-8");
            } else {
                listener.onClose(code, reason);
            }
        }
    }

    private void endMessage() {
        int type = messageType;
        messageType = 0;
        if (type == BINARY) {
            listener.onBinary();
            return;
        }
        String text = decode(message, 0, messageLength);
        // A big message's buffer is let go; a small one is kept for the next.
        if (message.length > 4_096) {
            message = null;
        }
        if (text == null) {
            violation(INVALID_TEXT, "text must be UTF-8");
        } else {
            listener.onText(text);
        }
    }

    private String decode(byte[] bytes, int from, int length) {
        try {
            return utf8.reset().decode(ByteBuffer.wrap(bytes, from, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private void violation(int code, String reason) {
        stopped = true;
        listener.onViolation(code, reason);
    }

    /** Forgets what it holds; for a connection that is closing. */
    void release() {
        message = null;
        control = null;
    }
}
