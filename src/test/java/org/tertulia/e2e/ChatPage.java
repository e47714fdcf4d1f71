package org.tertulia.e2e;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in one browser, seen as a person sees it: what is in the log, the user list
 * and the status line, and the controls they type into. Every read waits (explicitly) for
 * the page to reach the expected state.
 */
final class ChatPage {

    static final Duration WAIT = Duration.ofSeconds(15);
    private static final Pattern COUNTDOWN = Pattern.compile("Reconnecting in (\\d+) s");

    private final Browser browser;
    private final WebDriver driver;
    private final WebDriverWait wait;

    ChatPage(Browser browser) {
        this.browser = browser;
        this.driver = browser.driver();
        this.wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
    }

    Browser browser() {
        return browser;
    }

    /** Opens the page and waits until its socket is open. */
    void load(URI base) {
        driver.get(base.toString().replaceAll("/$", "") + "/");
        awaitStatus("connected");
    }

    // ---- actions ----

    /** Types a name, presses "Sign in", and returns the name the server gave. */
    String signIn(String name) {
        requestName(name);
        return wait.withMessage("a name given after signing in as " + name)
                .until(d -> element("me").getDomAttribute("data-name"));
    }

    /** Types a name and presses "Sign in", without waiting for an answer. */
    void requestName(String name) {
        WebElement field = element("name");
        field.clear();
        field.sendKeys(name);
        element("signin").click();
    }

    /** Takes the browser off the network (or puts it back): navigator.onLine and the offline/online events follow. */
    void networkOnline(boolean online) {
        HasCdp cdp = (HasCdp) driver;
        cdp.executeCdpCommand("Network.enable", Map.of());
        cdp.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
                "offline", !online, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    }

    /** Reloads the page, as a person pressing F5 would, and waits until its socket is open. */
    void reload() {
        driver.navigate().refresh();
        awaitStatus("connected");
    }

    /** Types {@code text} into the message field and presses Enter. */
    void sayWithEnter(String text) {
        element("text").sendKeys(text, Keys.ENTER);
    }

    /** Types {@code text} into the message field and clicks "Send". */
    void sayWithButton(String text) {
        element("text").sendKeys(text);
        element("send").click();
    }

    /** Types into the message field without sending. */
    void type(String text) {
        element("text").sendKeys(text);
    }

    /** Presses Enter in the message field: sends what is there. */
    void sendDraft() {
        element("text").sendKeys(Keys.ENTER);
    }

    /** Clicks {@code name} in the user list: the composer then writes to them privately. */
    void pickInList(String name) {
        pickButton(name).click();
    }

    /** Picks {@code name} in the user list with the keyboard only: focus, then Space. */
    void pickInListWithKeyboard(String name) {
        WebElement button = pickButton(name);
        script("arguments[0].focus()", button);
        button.sendKeys(Keys.SPACE);
    }

    private WebElement pickButton(String name) {
        return wait.withMessage(name + " to pick in the user list")
                .until(d -> d.findElements(By.cssSelector("#users .user-pick")).stream()
                        .filter(b -> name.equals(b.getDomAttribute("data-name"))).findFirst().orElse(null));
    }

    /** Clicks "Back to the room" beside the composer's "To ...". */
    void backToTheRoom() {
        element("to-room").click();
    }

    /**
     * Turns this page into what Chromium's "Duplicate tab" makes of {@code other}: the same
     * page with a copy of its session storage, loaded afresh. Both must come from one origin.
     */
    void duplicateTabOf(ChatPage other) {
        Object storage = other.script("return JSON.stringify(Object.entries(sessionStorage))");
        script("for (const [key, value] of JSON.parse(arguments[0])) sessionStorage.setItem(key, value)", storage);
        driver.navigate().refresh();
        awaitStatus("connected");
    }

    /** Clicks the button beside the status line ("Retry now", "Reconnect", "Use the chat here"). */
    void clickStatusAction() {
        element("reconnect").click();
    }

    // ---- what the page shows ----

    /**
     * The status line's state: {@code connecting}, {@code connected}, {@code waiting} (to
     * reconnect), {@code offline}, {@code closed}, {@code error} or {@code taken-over}.
     */
    String statusState() {
        return element("status").getDomAttribute("data-state");
    }

    String statusText() {
        return element("status").getText();
    }

    /**
     * How long this page may take to be back once connections are let through again, for a
     * reconnection that should take {@code afterItsTry}. Its backoff grows with every refused
     * try (full jitter, the ceiling doubling up to 30 s), so a page refused for a few seconds
     * may already be waiting longer than that for its next try: it gets the wait it announces
     * on top. A try under way when the gate opened may still be refused, so this first waits
     * for the page to settle on waiting or connected.
     */
    Duration backWithin(Duration afterItsTry) {
        await().withMessage("the page waiting or connected").until(d -> !"connecting".equals(statusState()));
        Matcher countdown = COUNTDOWN.matcher(statusText());
        return countdown.find() ? afterItsTry.plusSeconds(Long.parseLong(countdown.group(1))) : afterItsTry;
    }

    void awaitStatus(String state) {
        wait.withMessage("status " + state).until(d -> state.equals(statusState()));
    }

    /**
     * From now on, keeps every state and text the status line shows (a MutationObserver on
     * it), so that a state the page passes through faster than a poll is seen: the first retry
     * after a drop is announced for as little as 100 ms, and a page whose node dies may be
     * back before the next poll.
     */
    void recordStatus() {
        script("""
                const status = document.getElementById('status');
                const shown = () => ({state: status.dataset.state, text: status.textContent});
                window.__statusShown = [shown()];
                new MutationObserver(() => window.__statusShown.push(shown()))
                    .observe(status, {attributes: true, attributeFilter: ['data-state'],
                            childList: true, characterData: true, subtree: true});
                """);
    }

    /**
     * The states the status line has taken since {@link #recordStatus}, or null if the page
     * was loaded again since (which ends the recording).
     */
    List<String> statesShown() {
        return statusShown("state");
    }

    /**
     * Waits until the status line has shown a text matching {@code regex} since
     * {@link #recordStatus}, and returns it.
     */
    String awaitStatusTextShown(String regex) {
        return wait.withMessage("status text shown matching " + regex)
                .until(d -> {
                    List<String> shown = statusShown("text");
                    return shown == null ? null
                            : shown.stream().filter(text -> text.matches(regex)).findFirst().orElse(null);
                });
    }

    @SuppressWarnings("unchecked")
    private List<String> statusShown(String field) {
        return (List<String>) script("return window.__statusShown ? window.__statusShown.map(s => s[arguments[0]]) : null",
                field);
    }

    /** Waits until the status line's text matches {@code regex}, and returns it. */
    String awaitStatusText(String regex) {
        return wait.withMessage("status text matching " + regex)
                .until(d -> {
                    String text = statusText();
                    return text.matches(regex) ? text : null;
                });
    }

    /** The button beside the status line, or null while it is hidden. */
    String statusAction() {
        WebElement button = element("reconnect");
        return button.isDisplayed() ? button.getText() : null;
    }

    /** The name the page is signed in under, or null. */
    String signedInName() {
        return element("me").getDomAttribute("data-name");
    }

    /** Waits, at most {@code within}, until the page is connected and signed in as {@code name}. */
    void awaitSignedInAs(String name, Duration within) {
        new WebDriverWait(driver, within, Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class)
                // What the page shows instead (e.g. name2: the server did not resume) says why.
                .withMessage(() -> "connected and signed in as " + name + " within " + within + "; the page shows \""
                        + statusText() + "\", signed in as " + signedInName())
                .until(d -> "connected".equals(statusState()) && name.equals(signedInName()));
    }

    /** "To NAME" while the composer writes to one person privately; null while it writes to the room. */
    String addressee() {
        WebElement line = element("addressee");
        return line.isDisplayed() ? element("addressee-name").getText() : null;
    }

    /** Waits until the composer writes to {@code name} privately. */
    void awaitAddressing(String name) {
        wait.withMessage("the composer writing to " + name).until(d -> ("To " + name).equals(addressee()));
    }

    /** Waits until the composer writes to the room. */
    void awaitAddressingTheRoom() {
        wait.withMessage("the composer writing to the room").until(d -> addressee() == null);
    }

    /** What is in the message field, not sent. */
    String draft() {
        return element("text").getDomProperty("value");
    }

    /** Waits until the message field holds exactly {@code text}. */
    void awaitDraft(String text) {
        wait.withMessage("the draft " + text).until(d -> text.equals(draft()));
    }

    /** The "You are ..." line. */
    String me() {
        return element("me").getText();
    }

    String typingLine() {
        return element("typing").getText();
    }

    /** The names in the user list, as shown. */
    List<String> users() {
        return driver.findElements(By.cssSelector("#users .user-name")).stream().map(WebElement::getText).toList();
    }

    /** False while the list is the one kept from before a drop, not yet confirmed by the server. */
    boolean usersAreCurrent() {
        return !(" " + element("users").getDomAttribute("class") + " ").contains(" stale ");
    }

    /** Waits until the user list shows all of {@code names}. */
    List<String> awaitUsersIncluding(String... names) {
        return wait.withMessage("user list including " + List.of(names))
                .until(d -> {
                    List<String> users = users();
                    return users.containsAll(List.of(names)) ? users : null;
                });
    }

    /** Waits until the user list no longer shows {@code name}. */
    List<String> awaitUsersWithout(String name) {
        return wait.withMessage("user list without " + name)
                .until(d -> {
                    List<String> users = users();
                    return users.contains(name) ? null : users;
                });
    }

    /**
     * A chat message as shown in the log; {@code privately} is its "private to/from ..." mark,
     * null on a room line.
     */
    record Message(String sender, String text, String time, boolean mine, boolean history, String privately,
            WebElement element) {
    }

    /** The messages in the log, oldest first. */
    List<Message> messages() {
        return driver.findElements(By.cssSelector("#log li.message")).stream().map(ChatPage::message).toList();
    }

    private static Message message(WebElement item) {
        String classes = " " + item.getDomAttribute("class") + " ";
        return new Message(
                item.findElement(By.cssSelector(".sender")).getDomProperty("textContent"),
                item.findElement(By.cssSelector(".text")).getDomProperty("textContent"),
                item.findElement(By.cssSelector("time")).getText(),
                classes.contains(" mine "),
                classes.contains(" history "),
                item.findElements(By.cssSelector(".badge-direct")).stream()
                        .map(b -> b.getDomProperty("textContent")).findFirst().orElse(null),
                item);
    }

    /** Waits for a message from {@code sender} whose text is exactly {@code text}. */
    Message awaitMessage(String sender, String text) {
        return wait.withMessage("a message from " + sender + " saying " + text)
                .until(d -> find(sender, text).orElse(null));
    }

    /** How many times the log shows a message from {@code sender} saying exactly {@code text}. */
    long count(String sender, String text) {
        return messages().stream().filter(m -> m.sender().equals(sender) && m.text().equals(text)).count();
    }

    /** Whether any message in the log says exactly {@code text}, whoever sent it. */
    boolean showsText(String text) {
        return messages().stream().anyMatch(m -> m.text().equals(text));
    }

    private Optional<Message> find(String sender, String text) {
        // Newest first: the one a test just sent is at the end.
        List<Message> all = messages();
        for (int i = all.size() - 1; i >= 0; i--) {
            Message m = all.get(i);
            if (m.sender().equals(sender) && m.text().equals(text)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The notices in the log (sign-ins, renames, departures, errors), oldest first. */
    List<String> notices() {
        return driver.findElements(By.cssSelector("#log li.notice")).stream()
                .map(e -> e.getDomProperty("textContent")).toList();
    }

    /** Waits for a notice whose text is exactly {@code text}. */
    String awaitNotice(String text) {
        return wait.withMessage("the notice " + text).until(d -> notices().contains(text) ? text : null);
    }

    /** The dividers in the log ("Earlier messages", "Some messages were missed"), oldest first. */
    List<String> dividers() {
        return driver.findElements(By.cssSelector("#log li.divider")).stream()
                .map(e -> e.getDomProperty("textContent")).toList();
    }

    /**
     * Every entry of the log, in order, one line each: notices and dividers as shown, messages
     * as "sender: text". For checks on order and on what must appear nowhere.
     */
    List<String> logLines() {
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) script("return [...document.querySelectorAll('#log > li')].map(li =>"
                + " li.classList.contains('message')"
                + " ? li.querySelector('.sender').textContent + ': ' + li.querySelector('.text').textContent"
                + " : li.textContent)");
        return lines;
    }

    /** Waits for an error notice and returns its text. */
    String awaitErrorNotice() {
        return wait.withMessage("an error notice").until(d -> driver.findElements(By.cssSelector("#log li.notice-error"))
                .stream().map(e -> e.getDomProperty("textContent")).findFirst().orElse(null));
    }

    /** Elements of the given CSS selector anywhere in the page. */
    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    WebElement element(String id) {
        return driver.findElement(By.id(id));
    }

    String title() {
        return driver.getTitle();
    }

    /**
     * Runs a script in the page, for what a person cannot see (e.g. a global a payload would
     * set) or what the driver has no gesture for (moving focus); never to change what the page shows.
     */
    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    WebDriverWait await() {
        return wait;
    }

    /** Waits, at most {@code within}, until {@code condition} holds. */
    void awaitWithin(Duration within, String what, Supplier<Boolean> condition) {
        new WebDriverWait(driver, within, Duration.ofMillis(50))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(what + " within " + within)
                .until(d -> condition.get());
    }

    /**
     * Whether {@code condition} holds all through {@code period}, checked every 200 ms: for
     * what must not happen (a wait for it to stop holding, which should time out).
     */
    boolean holdsThroughout(Duration period, Supplier<Boolean> condition) {
        try {
            new WebDriverWait(driver, period, Duration.ofMillis(200)).until(d -> !condition.get());
            return false;
        } catch (TimeoutException e) {
            return true;
        }
    }
}
