package org.tertulia.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.ChannelFuture;

/**
 * A set of signed-in clients whose names share one tag ({@code p3-0}, {@code p3-1}, ...),
 * so that a client can tell from a userlist whether all of its crowd is in it, whatever
 * else the list holds. A crowd can grow; it is dismissed at the end of its phase.
 */
final class Crowd {

    /** What {@link #grow} saw. */
    record Join(int target, int ok, int failed, int connected, double handshakeMillis, double idMillis,
            double listMillis, boolean complete) {
    }

    private final Load load;
    private final String tag;
    private final byte[] quotedTag;
    private final List<ChatClient> clients = new ArrayList<>();

    private volatile int target;
    private volatile int minListBytes;
    private volatile FanOut fanOut;
    private volatile Semaphore permits = new Semaphore(0);

    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger fullLists = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();         // ended before seeing the current target
    private final AtomicInteger closedUnexpectedly = new AtomicInteger();
    private final AtomicInteger endedTotal = new AtomicInteger();
    private final AtomicInteger closedBeforeHandshake = new AtomicInteger();
    private final AtomicLong lastHandshake = new AtomicLong();
    private final AtomicLong lastId = new AtomicLong();
    private final AtomicLong lastFullList = new AtomicLong();
    private final LongAdder serverErrors = new LongAdder();
    private final Map<Integer, AtomicInteger> closeCodes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();

    Crowd(Load load, String tag) {
        this.load = load;
        this.tag = tag;
        this.quotedTag = Wire.ascii("\"" + tag);
    }

    Load load() {
        return load;
    }

    int size() {
        return clients.size();
    }

    List<ChatClient> clients() {
        return clients;
    }

    int target() {
        return target;
    }

    int minListBytes() {
        return minListBytes;
    }

    byte[] quotedTag() {
        return quotedTag;
    }

    FanOut fanOut() {
        return fanOut;
    }

    void fanOut(FanOut run) {
        this.fanOut = run;
    }

    /**
     * Adds clients until the crowd has {@code total}, at most {@code window} handshakes
     * pending at once, and waits until every live client has seen a userlist holding the
     * whole crowd (or the timeout). Times are from the first new connect.
     */
    Join grow(int total, int window, long timeoutMillis) throws InterruptedException {
        int before = clients.size();
        int endedBefore = endedTotal.get();
        long minBytes = 0;
        for (int i = 0; i < total; i++) {
            minBytes += tag.length() + Integer.toString(i).length() + 3; // "name",
        }
        fullLists.set(0);
        lost.set(0);
        minListBytes = (int) Math.min(Integer.MAX_VALUE, minBytes);
        target = total;
        permits = new Semaphore(window);
        long start = System.nanoTime();
        lastHandshake.set(start);
        lastId.set(start);
        lastFullList.set(start);
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = before; i < total; i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            ChatClient client = new ChatClient(this, tag + i);
            clients.add(client);
            ChannelFuture f = load.connect(client, i);
            f.addListener(done -> {
                if (!done.isSuccess()) {
                    client.connectFailed(done.cause());
                }
            });
        }
        int launched = clients.size() - endedBefore;
        // Clients that existed before also have to see the grown list.
        while (System.nanoTime() < deadline && fullLists.get() + lost.get() < launched) {
            Thread.sleep(2);
        }
        int ok = fullLists.get();
        int connected = handshakes.get() - (endedTotal.get() - closedBeforeHandshake.get());
        return new Join(total, ok, total - ok, connected, millis(lastHandshake.get() - start), millis(lastId.get() - start),
                millis(lastFullList.get() - start), ok == total);
    }

    /** Closes every client (TCP close, as a dropped browser tab) and waits for the closes. */
    void dismiss() throws InterruptedException {
        fanOut = null;
        List<ChannelFuture> closes = new ArrayList<>(clients.size());
        for (ChatClient client : clients) {
            client.closing = true;
            if (client.channel != null) {
                closes.add(client.channel.close());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ChannelFuture f : closes) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            f.await(TimeUnit.NANOSECONDS.toMillis(left) + 1);
        }
        clients.clear();
    }

    // ---- events from clients (event loops) ----

    void handshaken() {
        handshakes.incrementAndGet();
        lastHandshake.accumulateAndGet(System.nanoTime(), Math::max);
        permits.release();
    }

    void gotId() {
        ids.incrementAndGet();
        lastId.accumulateAndGet(System.nanoTime(), Math::max);
    }

    void sawFullList() {
        lastFullList.accumulateAndGet(System.nanoTime(), Math::max);
        fullLists.incrementAndGet();
    }

    void ended(ChatClient client, boolean handshaken, boolean closing, boolean sawList) {
        endedTotal.incrementAndGet();
        if (!handshaken) {
            permits.release();
            closedBeforeHandshake.incrementAndGet();
        }
        if (!sawList) {
            lost.incrementAndGet();
        }
        if (!closing) {
            closedUnexpectedly.incrementAndGet();
        }
    }

    void closedByServer(int code) {
        closeCodes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
    }

    void serverError() {
        serverErrors.increment();
    }

    void error(String what) {
        String key = what.length() > 120 ? what.substring(0, 120) : what;
        if (errors.size() < 50 || errors.containsKey(key)) {
            errors.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    // ---- for the report ----

    /** Connections that ended without our asking so far (the server closed them, or they failed). */
    int closedUnexpectedly() {
        return closedUnexpectedly.get();
    }

    long serverErrors() {
        return serverErrors.sum();
    }

    String problems() {
        StringBuilder sb = new StringBuilder();
        if (closedUnexpectedly.get() > 0) {
            sb.append("connections lost (not closed by us) x").append(closedUnexpectedly.get()).append("; ");
        }
        new TreeMap<>(closeCodes).forEach((code, n) -> sb.append("close ").append(code).append(" x").append(n).append("; "));
        errors.forEach((what, n) -> sb.append(what).append(" x").append(n).append("; "));
        return sb.toString();
    }

    private static double millis(long nanos) {
        return Math.max(0, nanos) / 1e6;
    }
}
