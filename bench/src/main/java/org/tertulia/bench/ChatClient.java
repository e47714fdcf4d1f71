package org.tertulia.bench;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * One simulated chat user. Signs in as soon as the server says its id, watches userlists
 * until it has seen its whole crowd, and during a fan-out run times every message of the
 * run and, if it is a sender, keeps its window of messages in flight.
 *
 * <p>All state is touched by the channel's event loop only, except where noted.
 */
final class ChatClient extends ChannelInboundHandlerAdapter {

    /** Per event loop: a message frame's bytes, copied once for the scans of {@link #onMessage}. */
    private static final FastThreadLocal<byte[]> SCRATCH =
            new FastThreadLocal<>() {
                @Override
                protected byte[] initialValue() {
                    return new byte[512];
                }
            };

    private final Crowd crowd;
    private final String name;

    Channel channel;                  // set on registration; read by the main thread after the handshake
    private ChannelHandlerContext ctx;
    private int slot;
    private boolean handshaken;
    private boolean ended;            // connect failure or close, counted once
    volatile boolean closing;         // set by the main thread when the crowd is dismissed
    private int listFor;              // the crowd target for which this client saw a full userlist

    // Fan-out, as a sender (event loop only).
    private FanOut sending;
    private int senderIndex = -1;
    private int sent;
    private int inFlight;
    private java.util.BitSet echoed = new java.util.BitSet();

    ChatClient(Crowd crowd, String name) {
        this.crowd = crowd;
        this.name = name;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.slot = crowd.load().slot(ctx.channel().eventLoop());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            handshaken = true;
            crowd.handshaken();
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            crowd.error("handshake timeout");
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame frame) {
                onText(frame.content());
            } else if (msg instanceof CloseWebSocketFrame close) {
                crowd.closedByServer(close.statusCode());
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closing) {
            crowd.error(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ended(handshaken ? "closed" : "handshake failed");
        super.channelInactive(ctx);
    }

    /** The connect attempt failed (refused, timed out): no channel events follow. */
    void connectFailed(Throwable cause) {
        crowd.error("connect: " + cause);
        ended("connect failed");
    }

    private void ended(String why) {
        if (ended) {
            return;
        }
        ended = true;
        crowd.ended(this, handshaken, closing, listFor == crowd.target());
    }

    private void onText(ByteBuf b) {
        int from = b.readerIndex();
        int to = b.writerIndex();
        int t = Wire.typeValue(b, from, to);
        if (t < 0 || t >= to) {
            return;
        }
        switch (b.getByte(t)) {
            case 'm': // message
                onMessage(b, t, to);
                break;
            case 'u': // username or userlist: "user?ist" / "user?ame"
                if (t + 4 < to && b.getByte(t + 4) == 'l') {
                    onUserlist(b, from, to);
                }
                break;
            case 'i': // id
                onId(b, t, to);
                break;
            case 'e': // error: rate-limited and friends
                crowd.serverError();
                break;
            default:
                break;
        }
    }

    private void onId(ByteBuf b, int t, int to) {
        int at = Wire.indexOf(b, t, to, Wire.ID_KEY);
        long id = at < 0 ? 0 : Wire.number(b, at + Wire.ID_KEY.length, to);
        crowd.gotId();
        ByteBuf out = ctx.alloc().buffer(96);
        ByteBufUtil.writeAscii(out, "{\"type\":\"username\",\"name\":\"");
        ByteBufUtil.writeAscii(out, name);
        ByteBufUtil.writeAscii(out, "\",\"id\":");
        ByteBufUtil.writeAscii(out, Long.toString(id));
        ByteBufUtil.writeAscii(out, ",\"date\":");
        ByteBufUtil.writeAscii(out, Long.toString(System.currentTimeMillis()));
        out.writeByte('}');
        ctx.writeAndFlush(new TextWebSocketFrame(out));
    }

    private void onUserlist(ByteBuf b, int from, int to) {
        int target = crowd.target();
        if (listFor == target || to - from < crowd.minListBytes()) {
            return; // already complete, or too short to hold every name: no scan
        }
        if (Wire.count(b, from, to, crowd.quotedTag()) >= target) {
            listFor = target;
            crowd.sawFullList();
        }
    }

    private void onMessage(ByteBuf b, int t, int to) {
        FanOut run = crowd.fanOut();
        if (run == null) {
            return;
        }
        // One bulk copy into this thread's scratch array, then plain array scans: reading the
        // ByteBuf a byte at a time (a bounds check and an indirection per byte) cost the
        // generator about a third of its time per delivery at saturation.
        int n = to - t;
        byte[] a = SCRATCH.get();
        if (a.length < n) {
            a = new byte[Math.max(n, 2 * a.length)];
            SCRATCH.set(a);
        }
        b.getBytes(t, a, 0, n);
        int at = Wire.indexOf(a, 0, n, Wire.TEXT_KEY);
        if (at < 0) {
            return;
        }
        at += Wire.TEXT_KEY.length;
        byte[] tag = run.tag();
        if (!Wire.startsWith(a, at, n, tag)) {
            return; // another run's message, or history
        }
        at += tag.length;
        int sender = (int) Wire.number(a, at, n);
        at = Wire.indexOf(a, at, n, (byte) '.') + 1;     // past the sender
        int seq = (int) Wire.number(a, at, n);
        at = Wire.indexOf(a, at, n, (byte) '.') + 1;     // past the sequence number
        long sentNanos = Wire.number(a, at, n);
        long now = System.nanoTime();
        run.delivered(slot, now - sentNanos, now);
        if (sender == senderIndex && sending == run) {
            echoed.set(seq);
            if (!run.paced()) {
                inFlight--;
                pump();
            }
        }
    }

    /**
     * Called on the event loop: become sender {@code index} of {@code run}, and either fill
     * the window (windowed) or start sending on the run's schedule (paced).
     */
    void startSending(FanOut run, int index) {
        sending = run;
        senderIndex = index;
        sent = 0;
        inFlight = 0;
        echoed = new java.util.BitSet(run.messages());
        if (run.paced()) {
            pace();
        } else {
            pump();
        }
    }

    /** After the run and a barrier: what this sender sent that never came back to it (diagnostics). */
    String unechoed() {
        if (sending == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int missing = 0;
        for (int i = echoed.nextClearBit(0); i < sent; i = echoed.nextClearBit(i + 1)) {
            if (missing++ < 5) {
                sb.append(i).append(' ');
            }
        }
        return missing == 0 ? "" : "sender " + senderIndex + ": " + missing + " of " + sent + " sent never echoed (seq "
                + sb.toString().trim() + (missing > 5 ? " ..." : "") + "), " + (sending.messages() - sent) + " unsent";
    }

    /** Windowed: send while fewer than W of our messages are in flight. */
    private void pump() {
        FanOut run = sending;
        boolean wrote = false;
        while (inFlight < run.window() && sent < run.messages()) {
            write(run, System.nanoTime());
            inFlight++;
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /**
     * Paced: send every message that is due (all of them if the loop woke up late: the
     * schedule is kept, never stretched), then sleep until the next one is due. Netty's
     * timer wakes to about a millisecond; any lateness is recorded and counts in latency.
     */
    private void pace() {
        FanOut run = sending;
        if (run != crowd.fanOut() || !channel.isActive()) {
            return; // the run was abandoned (timeout) or this connection is gone
        }
        long now = System.nanoTime();
        boolean wrote = false;
        while (sent < run.messages()) {
            long due = run.intendedNanos(senderIndex, sent);
            if (due > now) {
                break;
            }
            run.sentLate(slot, now - due);
            write(run, due);
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (sent < run.messages()) {
            long wait = run.intendedNanos(senderIndex, sent) - System.nanoTime();
            ctx.executor().schedule(this::pace, Math.max(0, wait), TimeUnit.NANOSECONDS);
        }
    }

    /** Writes (unflushed) the next message, stamped with {@code stampNanos} for the latency. */
    private void write(FanOut run, long stampNanos) {
        ByteBuf out = ctx.alloc().buffer(112);
        ByteBufUtil.writeAscii(out, "{\"type\":\"message\",\"text\":\"");
        out.writeBytes(run.tag());
        ByteBufUtil.writeAscii(out, Integer.toString(senderIndex));
        out.writeByte('.');
        ByteBufUtil.writeAscii(out, Integer.toString(sent));
        out.writeByte('.');
        ByteBufUtil.writeAscii(out, Long.toString(stampNanos));
        ByteBufUtil.writeAscii(out, "\",\"date\":");
        ByteBufUtil.writeAscii(out, Long.toString(System.currentTimeMillis()));
        out.writeByte('}');
        ctx.write(new TextWebSocketFrame(out));
        sent++;
    }
}
