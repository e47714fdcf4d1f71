package org.tertulia.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SanitizerTest {

    @Test
    void tagsAreStripped() {
        assertThat(Sanitizer.text("hi <b>there</b>")).isEqualTo("hi there");
        assertThat(Sanitizer.text("<img src=x onerror=alert(1)>")).isEmpty();
        assertThat(Sanitizer.text("<script>alert(1)</script>ok")).isEqualTo("alert(1)ok");
    }

    @Test
    void plainLessThanSurvives() {
        assertThat(Sanitizer.text("1 < 2")).isEqualTo("1 < 2");
        assertThat(Sanitizer.text("a<3")).isEqualTo("a<3");
        assertThat(Sanitizer.text("<3 <- heart")).isEqualTo("<3 <- heart");
        assertThat(Sanitizer.text("x <= y && y >= z")).isEqualTo("x <= y && y >= z");
    }

    @Test
    void unclosedTagAtTheEndIsStripped() {
        assertThat(Sanitizer.text("hello <img src=x onerror=alert(1)")).isEqualTo("hello ");
    }

    @Test
    void commentsDeclarationsAndEndTagsAreStripped() {
        assertThat(Sanitizer.text("a<!-- x -->b<!DOCTYPE html>c<?xml?>d</p>e")).isEqualTo("abcde");
    }

    @Test
    void strippingNeverAssemblesANewTag() {
        assertThat(Sanitizer.stripMarkup("<<a>script>alert(1)")).doesNotContain("<s");
        assertThat(Sanitizer.stripMarkup("<<b>img src=x>")).isEmpty();
        assertThat(Sanitizer.text("<\u0000script>")).isEmpty();
    }

    @Test
    void controlCharactersAreRemovedButLinesKept() {
        assertThat(Sanitizer.text("a\u0000b\u0007c\r\nd\re\tf")).isEqualTo("abc\nd\ne\tf");
    }

    @Test
    void textKeepsItsCombiningMarksJoinersAndAstralCharactersAsSent() {
        String decomposed = "caf\u0065\u0301 \uD83D\uDE00 \uD83D\uDC69\u200D\uD83D\uDCBB \uD835\uDD04";
        assertThat(Sanitizer.text(decomposed)).isEqualTo(decomposed);
        assertThat(Sanitizer.text("caf\u00e9")).isEqualTo("caf\u00e9");
    }

    @Test
    void namesAreStillNfc() {
        assertThat(Sanitizer.name("Jos\u0065\u0301", 32)).isEqualTo("Jos\u00e9");
    }

    @Test
    void unpairedSurrogatesAreDropped() {
        assertThat(Sanitizer.text("a\uD83Db")).isEqualTo("ab");
        assertThat(Sanitizer.name("a\uDE00b", 32)).isEqualTo("ab");
    }

    @Test
    void namesAreTrimmedFoldedAndCleaned() {
        assertThat(Sanitizer.name("  alice  ", 32)).isEqualTo("alice");
        assertThat(Sanitizer.name("al\u0000ice\u202e", 32)).isEqualTo("alice");
        assertThat(Sanitizer.name("a  \t b", 32)).isEqualTo("a b");
        assertThat(Sanitizer.name("a <b>x</b> c", 32)).isEqualTo("a x c");
        assertThat(Sanitizer.name("<img src=x onerror=alert(1)>", 32)).isEmpty();
    }

    @Test
    void namesAreCutToTheLimitInCodePoints() {
        assertThat(Sanitizer.name("x".repeat(40), 32)).hasSize(32);
        String emoji = "\uD83D\uDE00".repeat(40);
        String cut = Sanitizer.name(emoji, 32);
        assertThat(Sanitizer.length(cut)).isEqualTo(32);
        assertThat(cut).isEqualTo("\uD83D\uDE00".repeat(32));
    }
}
