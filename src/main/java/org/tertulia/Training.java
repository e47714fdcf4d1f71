package org.tertulia;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The training run behind the container image's ahead-of-time cache: a node in memory mode
 * on a loopback port, and in the same JVM a crowd of WebSocket clients that do what a node
 * sees after a restart. The Dockerfile runs it under {@code -XX:AOTCacheOutput} (JDK 25),
 * so the cache holds the classes this run loaded and linked and the profiles of the methods
 * it ran; a node started with that cache begins its first join storm with them instead of
 * loading, linking and profiling it all again (docs/benchmarks.md, "The ninth round").
 *
 * <p>Each round, a crowd of clients connect at once, sign in (a few of them with a name
 * already taken), some of them send a few messages each to the room,
 * one sends a direct message and one a frame the server refuses, and all say goodbye. The
 * page, its script and the health and metrics endpoints are fetched too. Nothing leaves the
 * process: the node is in memory mode and listens on 127.0.0.1 only. Arguments go to the
 * application after the run's own settings (port 0, 127.0.0.1, memory mode, no warm start), which they must
 * not repeat: Spring would join two values of one setting. The node does not warm-start
 * ({@link WarmStart}, which runs this class's {@link Crowd}), whatever the default, so the
 * cache holds this run's profiles only.
 *
 * <p>Exit status 0 when every round completed; otherwise 1, and the reason on standard error.
 */
public final class Training {

    /** The image's run: 3,000 handshakes and sign-ins, 600 lines heard by 1,000 each. */
    static final Plan IMAGE = new Plan(3, 1000, 20, 10, Duration.ofSeconds(90));

    private Training() {
    }

    public static void main(String[] args) {
        int status;
        try {
            Result result = run(IMAGE, args);
            System.out.println("training: " + result);
            status = 0;
        } catch (Exception e) {
            System.err.println("training failed: " + e);
            status = 1;
        }
        System.exit(status);
    }

    /**
     * How much a run does: rounds of {@code clients} that sign in together, of whom
     * {@code senders} send {@code messages} each (at most {@link Plan#MOST_MESSAGES}: with its
     * sign-in and a typing notice, a sender stays within a connection's frame burst of 20);
     * a step of a round (connect, sign in, hear every line, close) that takes longer than
     * {@code step} fails the run. The last client, which sends the direct message and the
     * broken frame, is not a sender. A plan outside these bounds is refused at once rather
     * than failing its run a step's time later.
     */
    record Plan(int rounds, int clients, int senders, int messages, Duration step) {

        /** With its sign-in and a typing notice, a sender's frames fill a burst of 20. */
        static final int MOST_MESSAGES = 18;

        Plan {
            if (rounds < 1 || clients < 2 || senders < 0 || senders >= clients || messages < 0
                    || messages > MOST_MESSAGES || step == null || step.isNegative() || step.isZero()) {
                throw new IllegalArgumentException("no such training: " + rounds + " rounds of " + clients
                        + " clients, " + senders + " senders of " + messages + " messages, steps of " + step
                        + " (at least 1 round, 2 clients, fewer senders than clients, at most "
                        + MOST_MESSAGES + " messages each, a positive step)");
            }
        }
    }

    /** What a completed run did, for its log line and its test. */
    record Result(int rounds, int connections, int signIns, int messagesSent, long messagesReceived, int pages) {
    }

    /** Starts a node, trains it, and closes it; throws if any round did not complete. */
    static Result run(Plan plan, String... args) throws Exception {
        SpringApplication application = new SpringApplication(TertuliaApplication.class);
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--tertulia.cluster.mode=memory", "--tertulia.warm-start.rounds=0"));
        all.addAll(List.of(args));
        try (ConfigurableApplicationContext context = application.run(all.toArray(String[]::new))) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            ExecutorService callbacks = Executors.newFixedThreadPool(2);
            try {
                HttpClient http = HttpClient.newBuilder().executor(callbacks)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                return new Crowd(http, URI.create("http://127.0.0.1:" + port),
                        URI.create("ws://127.0.0.1:" + port + "/chat"), Map.of(), plan.clients(), plan).train();
            } finally {
                callbacks.shutdownNow();
            }
        }
    }

    /**
     * The clients of every round, over one HTTP client: to {@code chat}, with {@code headers} on
     * every handshake, at most {@code window} handshakes pending at once; before each round the
     * page, its scripts and the operations endpoints are fetched from {@code base}, unless it is
     * null.
     */
    static final class Crowd {

        private final HttpClient http;
        private final URI base;
        private final URI chat;
        private final Map<String, String> headers;
        private final int window;
        private final Plan plan;
        private int connections;
        private int signIns;
        private int sent;
        private long received;
        private int pages;

        Crowd(HttpClient http, URI base, URI chat, Map<String, String> headers, int window, Plan plan) {
            this.http = http;
            this.base = base;
            this.chat = chat;
            this.headers = headers;
            this.window = window;
            this.plan = plan;
        }

        Result train() throws Exception {
            for (int round = 0; round < plan.rounds(); round++) {
                if (base != null) {
                    fetchPages();
                }
                round(round);
            }
            return new Result(plan.rounds(), connections, signIns, sent, received, pages);
        }

        private void fetchPages() throws Exception {
            for (String path : List.of("/", "/chat.js", "/commands.js", "/reconnect.js", "/chat.css", "/actuator/health/readiness",
                    "/actuator/prometheus", "/no-such-page")) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
                        .timeout(plan.step()).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 500) {
                    throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
                }
                pages++;
            }
        }

        private void round(int round) throws Exception {
            int crowd = plan.clients();
            List<Client> clients = new ArrayList<>(crowd);
            List<CompletableFuture<WebSocket>> opening = new ArrayList<>(crowd);
            Semaphore pending = new Semaphore(window);
            for (int i = 0; i < crowd; i++) {
                Client client = new Client(crowd);
                clients.add(client);
                WebSocket.Builder builder = http.newWebSocketBuilder().subprotocols("json").connectTimeout(plan.step());
                headers.forEach(builder::header);
                if (!pending.tryAcquire(plan.step().toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("connect not done within " + plan.step().toMillis() + " ms");
                }
                CompletableFuture<WebSocket> opened = builder.buildAsync(chat, client);
                opened.whenComplete((socket, error) -> pending.release());
                opening.add(opened);
            }
            await(CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)), "connect");
            await(clients, c -> c.id, "id frames");
            connections += crowd;

            // Every 25th asks for a name that is taken, and is answered with rejectusername.
            for (int i = 0; i < crowd; i++) {
                String name = i % 25 == 24 ? "trainee-" + (i - 1) : "trainee-" + i;
                clients.get(i).send("{\"type\":\"username\",\"name\":\"" + name + "\",\"id\":"
                        + clients.get(i).idValue() + ",\"date\":" + System.currentTimeMillis() + "}");
            }
            await(clients, c -> c.fullList, "userlists");
            signIns += crowd;

            int lines = plan.senders() * plan.messages();
            for (Client client : clients) {
                client.expect(lines);
            }
            for (int s = 0; s < plan.senders(); s++) {
                Client sender = clients.get(s);
                for (int m = 0; m < plan.messages(); m++) {
                    sender.send("{\"type\":\"message\",\"text\":\"round " + round + ", line " + m
                            + " <b>of</b> " + plan.messages() + "\",\"id\":" + sender.idValue() + ",\"date\":"
                            + System.currentTimeMillis() + "}");
                    sent++;
                }
                sender.send("{\"type\":\"typing\",\"id\":" + sender.idValue() + "}");
            }
            Client last = clients.get(crowd - 1);
            last.send("{\"type\":\"message\",\"text\":\"just for you\",\"target\":\"trainee-0\"}");
            last.send("{\"type\":\"message\",\"text\":");
            await(clients, c -> c.allMessages, "messages");
            for (Client client : clients) {
                received += client.messages.get();
            }

            for (Client client : clients) {
                client.close();
            }
            await(clients, c -> c.closed, "closes");
        }

        /** Waits for step {@code what} of every client; a timeout names the clients that did not get there. */
        private void await(List<Client> clients, Function<Client, CompletableFuture<?>> which, String what)
                throws Exception {
            try {
                await(CompletableFuture.allOf(clients.stream().map(which).toArray(CompletableFuture[]::new)), what);
            } catch (IllegalStateException e) {
                StringBuilder behind = new StringBuilder();
                int count = 0;
                for (int i = 0; i < clients.size(); i++) {
                    if (!which.apply(clients.get(i)).isDone() && count++ < 5) {
                        behind.append(count > 1 ? "; " : "").append("client ").append(i).append(' ')
                                .append(clients.get(i).state());
                    }
                }
                throw new IllegalStateException(e.getMessage() + ", " + count + " of " + clients.size()
                        + " clients behind: " + behind, e.getCause());
            }
        }

        private void await(CompletableFuture<?> step, String what) throws Exception {
            try {
                step.get(plan.step().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException(what + " not done within " + plan.step().toMillis() + " ms", e);
            }
        }
    }

    /**
     * One client: notes its id, when a userlist holds the whole round (as many names as the
     * crowd), and when it has heard every line of the round; counts nothing else.
     */
    private static final class Client implements WebSocket.Listener {

        private final int crowd;
        final CompletableFuture<String> id = new CompletableFuture<>();
        final CompletableFuture<Void> fullList = new CompletableFuture<>();
        final CompletableFuture<Void> allMessages = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final AtomicInteger messages = new AtomicInteger();
        private final AtomicInteger frames = new AtomicInteger();
        private volatile String lastFrame = "none";
        private volatile int expected = Integer.MAX_VALUE;
        private final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;
        private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

        Client(int crowd) {
            this.crowd = crowd;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frame(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void frame(String text) {
            frames.incrementAndGet();
            lastFrame = text;
            if (text.startsWith("{\"type\":\"id\"")) {
                id.complete(text.substring(text.lastIndexOf(':') + 1, text.length() - 1).trim());
            } else if (text.startsWith("{\"type\":\"userlist\"") && names(text) >= crowd) {
                fullList.complete(null);
            } else if (text.startsWith("{\"type\":\"message\"") && !text.contains("\"history\":true")
                    && !text.contains("\"target\"") && messages.incrementAndGet() >= expected) {
                allMessages.complete(null);
            }
        }

        /** Names in a userlist frame: the separators between its quoted names, plus one. */
        private static int names(String userlist) {
            int open = userlist.indexOf('[');
            int close = userlist.lastIndexOf(']');
            if (close <= open + 1) {
                return 0;
            }
            int count = 1;
            for (int i = userlist.indexOf("\",\"", open); i >= 0 && i < close; i = userlist.indexOf("\",\"", i + 3)) {
                count++;
            }
            return count;
        }

        void expect(int lines) {
            expected = lines;
            if (messages.get() >= lines) {
                allMessages.complete(null);
            }
        }

        String idValue() {
            return id.join();
        }

        /** Where it stands, for a step that timed out. */
        synchronized String state() {
            String last = lastFrame; // read once: the socket's thread may replace it meanwhile
            last = last.length() > 80 ? last.substring(0, 80) + "..." : last;
            String sends = !sending.isDone() ? "pending" : sending.isCompletedExceptionally() ? "failed" : "done";
            return "(id " + id.getNow("none") + ", heard " + messages.get() + " lines of "
                    + (expected == Integer.MAX_VALUE ? "-" : expected) + ", " + frames.get() + " frames, last: " + last
                    + ", sends " + sends + ", closed " + closed.isDone() + ")";
        }

        /** Frames go one after another: the JDK client allows one outstanding send. */
        synchronized void send(String frame) {
            sending = sending.thenCompose(ignored -> socket.sendText(frame, true));
        }

        synchronized void close() {
            sending = sending.thenCompose(ignored -> socket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            id.completeExceptionally(error);
            fullList.completeExceptionally(error);
            allMessages.completeExceptionally(error);
            closed.completeExceptionally(error);
        }
    }
}
