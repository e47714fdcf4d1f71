package org.tertulia.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.tertulia.protocol.Sanitizer;

/**
 * The browser client against a real server, in real Chromium: what two people in two windows
 * see. Runs against this build on a random port, or against {@code -Dtertulia.it.base-url}.
 *
 * <p>Names carry a random suffix per test, since a server started elsewhere may be shared.
 */
@BrowserTest
class BrowserChatIT {

    private final String run = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());

    private String unique(String base) {
        return base + "-" + run;
    }

    @Test
    void statusLineShowsConnectedAndControlsAreEnabledOnceTheSocketIsOpen(Browsers browsers) {
        ChatPage page = browsers.open("solo");

        assertThat(page.statusState()).isEqualTo("connected");
        assertThat(page.statusText()).isEqualTo("Connected");
        for (String control : new String[] {"name", "signin", "text", "send"}) {
            assertThat(page.element(control).isEnabled()).as(control + " enabled").isTrue();
        }
        assertThat(page.me()).isEqualTo("Not signed in");
    }

    @Test
    void twoUsersSeeEachOtherListedAndExchangeMessagesBothWays(Browsers browsers) {
        ChatPage alice = browsers.open("alice");
        ChatPage bob = browsers.open("bob");
        String aliceName = alice.signIn(unique("alice"));
        String bobName = bob.signIn(unique("bob"));
        assertThat(aliceName).isEqualTo(unique("alice"));
        assertThat(bobName).isEqualTo(unique("bob"));

        alice.awaitUsersIncluding(aliceName, bobName);
        bob.awaitUsersIncluding(aliceName, bobName);
        alice.awaitNotice(bobName + " signed in");

        alice.sayWithEnter("hello bob, 1 < 2 & café");
        ChatPage.Message heardByBob = bob.awaitMessage(aliceName, "hello bob, 1 < 2 & café");
        ChatPage.Message ownByAlice = alice.awaitMessage(aliceName, "hello bob, 1 < 2 & café");
        assertThat(heardByBob.mine()).as("alice's message is not bob's").isFalse();
        assertThat(ownByAlice.mine()).as("alice's own message is marked as hers").isTrue();
        assertThat(heardByBob.time()).matches("\\d{1,2}:\\d{2}.*");

        bob.sayWithButton("hi alice");
        assertThat(alice.awaitMessage(bobName, "hi alice").mine()).isFalse();
        assertThat(bob.awaitMessage(bobName, "hi alice").mine()).isTrue();
        assertThat(bob.element("text").getDomProperty("value")).as("the field is cleared after sending").isEmpty();
    }

    @Test
    void nameClashShowsTheRenameNoticeAndTheNewName(Browsers browsers) {
        ChatPage first = browsers.open("first");
        ChatPage second = browsers.open("second");
        String wanted = unique("carol");

        assertThat(first.signIn(wanted)).isEqualTo(wanted);
        String given = second.signIn(wanted);

        assertThat(given).isEqualTo(wanted + "2");
        second.awaitNotice("Your name was taken; you are now " + wanted + "2");
        assertThat(second.me()).isEqualTo("You are " + wanted + "2");
        assertThat(second.element("name").getDomProperty("value")).isEqualTo(wanted + "2");
        first.awaitUsersIncluding(wanted, wanted + "2");
        second.awaitUsersIncluding(wanted, wanted + "2");
    }

    @Test
    void markupInNamesAndMessagesShowsAsTextAndRunsNothing(Browsers browsers) {
        ChatPage mallory = browsers.open("mallory");
        ChatPage victim = browsers.open("victim");
        String victimName = victim.signIn(unique("victim"));
        String rawName = unique("mal") + "<img src=x onerror=\"window.pwned=1;document.title='pwned'\">";
        String payload = "look <img src=x onerror=\"window.pwned=2;document.title='pwned'\"> "
                + "<script>window.pwned=3;document.title='pwned'</script> &lt;b&gt;bold&lt;/b&gt; 1 < 2";

        String malloryName = mallory.signIn(rawName);
        assertThat(malloryName).isEqualTo(Sanitizer.name(rawName, 32)).isEqualTo(unique("mal"));
        mallory.awaitNotice("Your name was not accepted as typed; you are now " + malloryName);
        victim.awaitUsersIncluding(victimName, malloryName);
        mallory.sayWithEnter(payload);

        String sanitised = Sanitizer.text(payload);
        assertThat(sanitised).doesNotContain("<img", "<script").contains("&lt;b&gt;", "1 < 2");
        victim.awaitMessage(malloryName, sanitised);
        mallory.awaitMessage(malloryName, sanitised);
        for (ChatPage page : new ChatPage[] {victim, mallory}) {
            assertThat(page.all("#log img, #log script, #users img, #users script, #log b")).isEmpty();
            assertThat(page.script("return window.pwned === undefined")).isEqualTo(true);
            assertThat(page.title()).isEqualTo("Tertulia");
        }
    }

    @Test
    void closingOneBrowserRemovesThatUserFromTheOthersList(Browsers browsers) {
        ChatPage alice = browsers.open("alice");
        ChatPage bob = browsers.open("bob");
        String aliceName = alice.signIn(unique("alice"));
        String bobName = bob.signIn(unique("bob"));
        alice.awaitUsersIncluding(aliceName, bobName);

        browsers.close(bob);

        assertThat(alice.awaitUsersWithout(bobName)).contains(aliceName);
        alice.awaitNotice(bobName + " left");
    }

    @Test
    void aPrivateMessageReachesOnlyItsTargetAndBothSidesMarkIt(Browsers browsers) {
        ChatPage ana = browsers.open("ana");
        ChatPage bob = browsers.open("bob");
        ChatPage cy = browsers.open("cy");
        String anaName = ana.signIn(unique("ana"));
        String bobName = bob.signIn(unique("bob"));
        String cyName = cy.signIn(unique("cy"));
        for (ChatPage page : new ChatPage[] {ana, bob, cy}) {
            page.awaitUsersIncluding(anaName, bobName, cyName);
        }

        ana.pickInList(bobName);
        ana.awaitAddressing(bobName);
        String picked = "only for bob, picked in the list " + run;
        ana.sayWithEnter(picked);

        ChatPage.Message atBob = bob.awaitMessage(anaName, picked);
        ChatPage.Message atAna = ana.awaitMessage(anaName, picked);
        assertThat(atBob.privately()).isEqualTo("private from " + anaName);
        assertThat(atBob.mine()).isFalse();
        assertThat(atAna.privately()).isEqualTo("private to " + bobName);
        assertThat(atAna.mine()).isTrue();

        ana.backToTheRoom();
        ana.awaitAddressingTheRoom();
        String typed = "only for bob, by /msg " + run;
        ana.sayWithEnter("/msg " + bobName + " " + typed);
        assertThat(bob.awaitMessage(anaName, typed).privately()).isEqualTo("private from " + anaName);
        assertThat(ana.awaitMessage(anaName, typed).privately()).isEqualTo("private to " + bobName);
        assertThat(ana.addressee()).as("/msg sends one line; the composer stays with the room").isNull();

        // Every client gets room frames in one order: had cy been sent either private line,
        // it would have arrived before this room line.
        String aloud = "said to the room " + run;
        ana.sayWithEnter(aloud);
        assertThat(ana.awaitMessage(anaName, aloud).element().getCssValue("background-color"))
                .as("a private line looks different from a room line")
                .isNotEqualTo(atAna.element().getCssValue("background-color"));
        assertThat(cy.awaitMessage(anaName, aloud).privately()).isNull();
        assertThat(bob.awaitMessage(anaName, aloud).privately()).isNull();
        assertThat(cy.showsText(picked)).as("the bystander never sees the picked line").isFalse();
        assertThat(cy.showsText(typed)).as("the bystander never sees the /msg line").isFalse();
        assertThat(String.join("\n", cy.logLines())).doesNotContain(picked, typed);
    }

    @Test
    void writingToSomeoneWhoLeftShowsTheRefusalAndGivesTheTextBack(Browsers browsers) {
        ChatPage ana = browsers.open("ana");
        ChatPage bob = browsers.open("bob");
        String anaName = ana.signIn(unique("ana"));
        String bobName = bob.signIn(unique("bob"));
        ana.awaitUsersIncluding(anaName, bobName);
        ana.pickInListWithKeyboard(bobName);
        ana.awaitAddressing(bobName);
        String text = "are you still there? " + run;
        ana.type(text);

        browsers.close(bob);

        ana.awaitUsersWithout(bobName);
        ana.awaitNotice(bobName + " is not here any more; you are writing to the room again");
        ana.awaitAddressingTheRoom();
        // The draft was meant for bob alone: it stays addressed to him, visibly, so Enter
        // cannot say it to the room.
        String draft = "/msg " + bobName + " " + text;
        assertThat(ana.draft()).isEqualTo(draft);

        ana.sendDraft();

        ana.awaitNotice(bobName + " is not here any more; your message was not sent");
        ana.awaitDraft(draft);
        assertThat(ana.showsText(text)).as("nothing was said").isFalse();
    }

    @Test
    void newcomerSeesEarlierMessagesMarkedAsHistory(Browsers browsers) {
        ChatPage alice = browsers.open("alice");
        String aliceName = alice.signIn(unique("alice"));
        String before = "said before bob came " + run;
        alice.sayWithEnter(before);
        assertThat(alice.awaitMessage(aliceName, before).history()).isFalse();

        ChatPage bob = browsers.open("bob");
        bob.signIn(unique("bob"));
        ChatPage.Message replayed = bob.awaitMessage(aliceName, before);
        assertThat(replayed.history()).isTrue();
        assertThat(replayed.element().findElements(By.cssSelector(".badge-history")))
                .as("a visible 'earlier' mark").singleElement()
                .satisfies(badge -> assertThat(badge.isDisplayed()).isTrue());

        String after = "said after bob came " + run;
        alice.sayWithEnter(after);
        assertThat(bob.awaitMessage(aliceName, after).history()).isFalse();
    }

    @Test
    void messageBeforeSignInShowsTheServersRefusal(Browsers browsers) {
        ChatPage page = browsers.open("anonymous");

        page.sayWithEnter("anyone there?");

        assertThat(page.awaitErrorNotice()).startsWith("Refused (not-signed-in): ");
    }

    @Test
    void typingIsAnnouncedToTheOthersBriefly(Browsers browsers) {
        ChatPage alice = browsers.open("alice");
        ChatPage bob = browsers.open("bob");
        String aliceName = alice.signIn(unique("alice"));
        String bobName = bob.signIn(unique("bob"));
        alice.awaitUsersIncluding(aliceName, bobName);

        bob.type("h");

        alice.await().withMessage("typing notice").until(d -> alice.typingLine().equals(bobName + " is typing…"));
        alice.await().withMessage("typing notice gone").until(d -> alice.typingLine().isEmpty());
        assertThat(bob.typingLine()).isEmpty();
    }

    @Test
    void pageFitsAPhoneSizedWindow(Browsers browsers) {
        ChatPage phone = browsers.open("phone", new Dimension(390, 844));
        String name = phone.signIn(unique("pocket"));
        phone.sayWithEnter("hello from a small screen");
        phone.awaitMessage(name, "hello from a small screen");

        assertThat(phone.script("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        for (String control : new String[] {"name", "signin", "text", "send", "users", "log"}) {
            assertThat(phone.script("const r = document.getElementById('" + control + "').getBoundingClientRect();"
                    + "return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth"
                    + " && r.top >= 0 && r.bottom <= window.innerHeight;"))
                    .as(control + " visible within the window").isEqualTo(true);
        }
    }
}
