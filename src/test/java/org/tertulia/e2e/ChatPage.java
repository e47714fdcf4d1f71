package org.tertulia.e2e;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in one browser, seen as a person sees it: what is in the log, the user list
 * and the status line, and the controls they type into. Every read waits (explicitly) for
 * the page to reach the expected state.
 */
final class ChatPage {

    static final Duration WAIT = Duration.ofSeconds(15);

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
        WebElement field = element("name");
        field.clear();
        field.sendKeys(name);
        element("signin").click();
        return wait.withMessage("a name given after signing in as " + name)
                .until(d -> element("me").getDomAttribute("data-name"));
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

    // ---- what the page shows ----

    /** The status line's state ({@code connecting}, {@code connected}, {@code closed}, {@code error}). */
    String statusState() {
        return element("status").getDomAttribute("data-state");
    }

    String statusText() {
        return element("status").getText();
    }

    void awaitStatus(String state) {
        wait.withMessage("status " + state).until(d -> state.equals(statusState()));
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

    /** A chat message as shown in the log. */
    record Message(String sender, String text, String time, boolean mine, boolean history, WebElement element) {
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
                item);
    }

    /** Waits for a message from {@code sender} whose text is exactly {@code text}. */
    Message awaitMessage(String sender, String text) {
        return wait.withMessage("a message from " + sender + " saying " + text)
                .until(d -> find(sender, text).orElse(null));
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

    /** Runs a read-only script in the page, for what a person cannot see (e.g. a global a payload would set). */
    Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    WebDriverWait await() {
        return wait;
    }
}
