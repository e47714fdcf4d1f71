package org.tertulia.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Sanitized text and names never hold anything a browser's HTML tokenizer would take for
 * a tag, comment or declaration, whatever the input; plain text without markup is left
 * as it was; names keep their limits.
 */
class SanitizerPropertiesTest {

    /** Where the HTML tokenizer leaves text: '<' then a letter (tag), '/' (end tag), '!' or '?' (comments). */
    private static final Pattern TAG_OPEN = Pattern.compile("<[A-Za-z/!?]");

    @Property(tries = 3_000)
    void sanitizedTextHoldsNoTag(@ForAll("markupish") String raw) {
        assertThat(Sanitizer.text(raw)).doesNotContainPattern(TAG_OPEN);
    }

    @Property(tries = 2_000)
    void sanitizedTextOfAnyStringHoldsNoTag(@ForAll String raw) {
        assertThat(Sanitizer.text(raw)).doesNotContainPattern(TAG_OPEN);
    }

    @Property(tries = 3_000)
    void sanitizedNameHoldsNoTagAndKeepsTheLimits(@ForAll("markupish") String raw,
            @ForAll @IntRange(min = 1, max = 64) int maxLength) {
        String name = Sanitizer.name(raw, maxLength);
        assertThat(name).doesNotContainPattern(TAG_OPEN);
        assertThat(Sanitizer.length(name)).isLessThanOrEqualTo(maxLength);
        assertThat(name).isEqualTo(name.trim()).doesNotContain("  ");
        name.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            assertThat(type).as("character type of U+%04X", cp)
                    .isNotIn((int) Character.CONTROL, (int) Character.FORMAT, (int) Character.SURROGATE,
                            (int) Character.UNASSIGNED, (int) Character.PRIVATE_USE);
        });
    }

    @Property(tries = 2_000)
    void sanitizedNameOfAnyStringHoldsNoTag(@ForAll String raw) {
        assertThat(Sanitizer.name(raw, 32)).doesNotContainPattern(TAG_OPEN);
    }

    @Property(tries = 2_000)
    void plainTextWithoutMarkupPassesUnchanged(@ForAll("plain") String plain) {
        assertThat(Sanitizer.text(plain)).isEqualTo(plain);
    }

    @Property(tries = 2_000)
    void sanitizedTextHasNoControlCharactersButLineBreaksAndTabs(@ForAll String raw) {
        Sanitizer.text(raw).chars().forEach(c -> assertThat(!Character.isISOControl(c) || c == '\n' || c == '\t')
                .as("U+%04X kept", c).isTrue());
    }

    @Provide
    Arbitrary<String> markupish() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("<<<>>/!?-aZs \"'=\u0000\r\n\t\u0301\u200B\uD800").ofMaxLength(40),
                Arbitraries.of("<", "</", "<!--", "<?", "<!", "<a", "<script>", "</script>", "<img src=x onerror=y>",
                        "<<", ">", "a", " ", "1 < 2", "\u0000", "\r", "<\u0000b", "<\u200Bb", "&lt;", "\uFF1C")
                        .list().ofMaxSize(12).map(parts -> String.join("", parts)));
    }

    @Provide
    Arbitrary<String> plain() {
        // Printable ASCII, with '<' only before a space or a digit, which a browser shows as text.
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60)
                .map(s -> s.replaceAll("<(?=[^ 0-9])", "< ").replaceAll("<$", "< "));
    }
}
