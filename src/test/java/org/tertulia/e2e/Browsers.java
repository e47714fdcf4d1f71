package org.tertulia.e2e;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.openqa.selenium.Dimension;
import org.tertulia.support.ServerUnderTest;

/** The browsers one test opened, each on the chat page; all are closed when the test ends. */
final class Browsers implements AutoCloseable {

    static final Dimension DESKTOP = new Dimension(1200, 900);

    private final ServerUnderTest server;
    private final List<ChatPage> open = new ArrayList<>();
    private final List<String> chromiumFlags = new ArrayList<>();

    Browsers(ServerUnderTest server) {
        this.server = server;
    }

    /**
     * Gives every browser opened from now on these Chromium flags besides the usual ones, e.g.
     * {@code --ignore-certificate-errors-spki-list=<base64 SHA-256 of a key>} to trust a test
     * certificate (and nothing else).
     */
    void chromiumFlags(String... flags) {
        chromiumFlags.addAll(List.of(flags));
    }

    /** A new desktop-sized browser on the chat page, its socket open. */
    ChatPage open(String label) {
        return open(label, DESKTOP);
    }

    /** A new browser with the given window size on the chat page, its socket open. */
    ChatPage open(String label, Dimension window) {
        return open(label, window, server.http());
    }

    /**
     * A new desktop-sized browser on the chat page as served from {@code base} (e.g. a
     * {@link TcpProxy} in front of the server), its socket open.
     */
    ChatPage open(String label, URI base) {
        return open(label, DESKTOP, base);
    }

    /**
     * A new desktop-sized browser on the chat page whose socket is a {@link ScriptedSocket}:
     * the test plays the server. The page is served by the server under test all the same.
     */
    ScriptedSocket openScripted(String label) {
        return new ScriptedSocket(open(label, DESKTOP, server.http(), ScriptedSocket::installIn));
    }

    /**
     * A new desktop-sized browser on the chat page as served from {@code base}, its socket open;
     * {@code beforeLoad} runs first (e.g. to install a script in every document it loads).
     */
    ChatPage open(String label, URI base, Consumer<Browser> beforeLoad) {
        return open(label, DESKTOP, base, beforeLoad);
    }

    private ChatPage open(String label, Dimension window, URI base) {
        return open(label, window, base, browser -> { });
    }

    private ChatPage open(String label, Dimension window, URI base, Consumer<Browser> beforeLoad) {
        Browser browser = Browser.start(label, window, chromiumFlags);
        ChatPage page = new ChatPage(browser);
        open.add(page);
        beforeLoad.accept(browser);
        page.load(base);
        return page;
    }

    /** Closes one browser now, as a person closing the window would. */
    void close(ChatPage page) {
        open.remove(page);
        page.browser().close();
    }

    /** The browsers still open, in the order they were opened. */
    List<ChatPage> pages() {
        return List.copyOf(open);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (ChatPage page : open) {
            try {
                page.browser().close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
