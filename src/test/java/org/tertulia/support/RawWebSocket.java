package org.tertulia.support;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client spoken by hand over a plain {@link Socket}: it can send any handshake
 * header (Origin, Host, X-Forwarded-*), any frame (binary, oversized, malformed), read
 * nothing at all (a stalled or dead peer), or drop the TCP connection without a close.
 */
public final class RawWebSocket implements Closeable {

    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int status;
    private final Map<String, String> responseHeaders;

    /** One frame from the server. */
    public record Frame(int opcode, byte[] payload) {

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame, or 1005 when it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    private RawWebSocket(Socket socket, int status, Map<String, String> responseHeaders) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.status = status;
        this.responseHeaders = responseHeaders;
    }

    /** Opens a TCP connection and sends the upgrade request with {@code headers} (Host defaults to 127.0.0.1:port). */
    public static RawWebSocket open(int port, Map<String, String> headers) {
        return open(port, headers, 0);
    }

    /** As {@link #open(int, Map)}, asking the kernel for a receive buffer of {@code receiveBuffer} bytes when > 0. */
    public static RawWebSocket open(int port, Map<String, String> headers, int receiveBuffer) {
        return open(port, "/chat", headers, receiveBuffer);
    }

    /** As {@link #open(int, Map)}, to {@code path} instead of /chat. */
    public static RawWebSocket open(int port, String path, Map<String, String> headers) {
        return open(port, path, headers, 0);
    }

    private static RawWebSocket open(int port, String path, Map<String, String> headers, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Host", "127.0.0.1:" + port);
            all.put("Upgrade", "websocket");
            all.put("Connection", "Upgrade");
            all.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(nonce));
            all.put("Sec-WebSocket-Version", "13");
            all.put("Sec-WebSocket-Protocol", "json");
            all.putAll(headers);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
            all.forEach((name, value) -> {
                if (value != null) {
                    request.append(name).append(": ").append(value).append("\r\n");
                }
            });
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = readLine(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                responseHeaders.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
            }
            return new RawWebSocket(socket, status, responseHeaders);
        } catch (IOException e) {
            throw new AssertionError("handshake failed", e);
        }
    }

    /** The HTTP status of the handshake: 101 when upgraded. */
    public int status() {
        return status;
    }

    public String responseHeader(String name) {
        return responseHeaders.get(name.toLowerCase());
    }

    public void sendText(String text) {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendBinary(byte[] bytes) {
        sendFrame(BINARY, bytes);
    }

    public void sendFrame(int opcode, byte[] payload) {
        sendRaw(frame(opcode, payload, true));
    }

    /** Bytes as they are, whether they make a frame or not. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new AssertionError("write failed", e);
        }
    }

    /** A masked client frame. */
    public static byte[] frame(int opcode, byte[] payload, boolean fin) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            frame.write(0x80 | n);
        } else if (n < 65536) {
            frame.write(0x80 | 126);
            frame.write(n >>> 8);
            frame.write(n);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) n >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < n; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        return frame.toByteArray();
    }

    /** The next frame from the server, or null when the connection ended first. */
    public Frame readFrame(Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = readByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            byte[] mask = null;
            if ((b1 & 0x80) != 0) {
                mask = in.readNBytes(4);
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                return null;
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
            }
            return new Frame(b0 & 0x0F, payload);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + wait);
        } catch (IOException e) {
            return null; // reset by the server
        }
    }

    /**
     * Reads until the server's close frame and returns its code; 1006 when the connection
     * ended without one. Pings are not answered.
     */
    public int awaitClose(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not closed within " + wait);
            }
            Frame frame = readFrame(Duration.ofNanos(left));
            if (frame == null) {
                return 1006;
            }
            if (frame.opcode() == CLOSE) {
                return frame.closeCode();
            }
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection closed during the handshake after: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Drops the connection with a TCP reset: no close frame, no FIN. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Says goodbye as a well-behaved client does (close 1000), then closes the socket. */
    @Override
    public void close() {
        try {
            if (!socket.isClosed() && !socket.isOutputShutdown()) {
                socket.getOutputStream().write(frame(CLOSE, new byte[] {0x03, (byte) 0xE8}, true));
            }
        } catch (IOException e) {
            // already gone
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
