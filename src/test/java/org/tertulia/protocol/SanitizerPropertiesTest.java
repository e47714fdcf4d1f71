package org.tertulia.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tertulia.support.ForAll.forAll;
import static org.tertulia.support.Generators.concat;
import static org.tertulia.support.Generators.elementOf;
import static org.tertulia.support.Generators.ints;
import static org.tertulia.support.Generators.markup;
import static org.tertulia.support.Generators.oneOf;
import static org.tertulia.support.Generators.strings;
import static org.tertulia.support.Generators.stringsIn;
import static org.tertulia.support.Generators.stringsOf;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.tertulia.support.Gen;

/**
 * Sanitized text and names never hold anything a browser's HTML tokenizer would take for
 * a tag, comment or declaration, whatever the input; plain text without markup is left
 * as it was; names keep their limits. Each property runs a fixed number of tries from its
 * own fixed seed (see {@link org.tertulia.support.ForAll}).
 */
class SanitizerPropertiesTest {

    /** Where the HTML tokenizer leaves text: '<' then a letter (tag), '/' (end tag), '!' or '?' (comments). */
    private static final Pattern TAG_OPEN = Pattern.compile("<[A-Za-z/!?]");

    private static final Gen<String> MARKUP = markup();
    private static final Gen<String> ANY = strings();

    @Test
    void sanitizedTextHoldsNoTag() {
        forAll(3_000, 0x5A41_0001L, MARKUP, raw -> assertThat(Sanitizer.text(raw)).doesNotContainPattern(TAG_OPEN));
    }

    @Test
    void sanitizedTextOfAnyStringHoldsNoTag() {
        forAll(2_000, 0x5A41_0002L, ANY, raw -> assertThat(Sanitizer.text(raw)).doesNotContainPattern(TAG_OPEN));
    }

    record NameInput(String raw, int maxLength) {
    }

    @Test
    void sanitizedNameHoldsNoTagAndKeepsTheLimits() {
        Gen<Integer> limits = ints(1, 64);
        forAll(3_000, 0x5A41_0003L, r -> new NameInput(MARKUP.next(r), limits.next(r)),
                in -> keepsTheNameRules(Sanitizer.name(in.raw(), in.maxLength()), in.maxLength()));
    }

    @Test
    void sanitizedNameOfAnyStringHoldsNoTag() {
        forAll(2_000, 0x5A41_0004L, ANY, raw -> assertThat(Sanitizer.name(raw, 32)).doesNotContainPattern(TAG_OPEN));
    }

    @Test
    void sanitizedNameOfAnyStringKeepsTheLimits() {
        Gen<Integer> limits = ints(1, 64);
        forAll(2_000, 0x5A41_0005L, r -> new NameInput(ANY.next(r), limits.next(r)),
                in -> keepsTheNameRules(Sanitizer.name(in.raw(), in.maxLength()), in.maxLength()));
    }

    /** Printable ASCII, with '<' only before a space or a digit, which a browser shows as text. */
    private static String plainAscii(String s) {
        return s.replaceAll("<(?=[^ 0-9])", "< ").replaceAll("<$", "< ");
    }

    @Test
    void plainTextWithoutMarkupPassesUnchanged() {
        Gen<String> ascii = oneOf(stringsIn(' ', '~', 60), stringsOf("<<< 0123456789aZ>/!?&;=\"'", 60));
        // Letters in any normal form, emoji, joiners, tabs and line feeds are plain text too.
        Gen<String> wider = concat(oneOf(stringsIn(' ', '~', 4),
                elementOf("é", "e\u0301", "日本語", "Ω", "ß", "\uD83D\uDE00", "\uD83D\uDC69\u200D\uD83D\uDCBB", "\n", "\t", "< ",
                        "<1", "1 < 2", "a<3", "&lt;", "¡", "\u00A0")), 20);
        forAll(2_000, 0x5A41_0006L, oneOf(ascii, wider).map(SanitizerPropertiesTest::plainAscii),
                plain -> assertThat(Sanitizer.text(plain)).isEqualTo(plain));
    }

    @Test
    void sanitizedTextHasNoControlCharactersButLineBreaksAndTabs() {
        forAll(4_000, 0x5A41_0007L, oneOf(ANY, MARKUP), raw -> Sanitizer.text(raw).chars()
                .forEach(c -> assertThat(!Character.isISOControl(c) || c == '\n' || c == '\t')
                        .as("U+%04X kept", c).isTrue()));
    }

    @Test
    void sanitizedTextHasNoUnpairedSurrogate() {
        forAll(4_000, 0x5A41_0008L, oneOf(ANY, MARKUP), raw -> {
            String text = Sanitizer.text(raw);
            text.codePoints().forEach(cp -> assertThat(Character.getType(cp))
                    .as("character type of U+%04X", cp).isNotEqualTo((int) Character.SURROGATE));
        });
    }

    @Test
    void strippingMarkupLeavesNoTagAndReachesAFixpoint() {
        forAll(3_000, 0x5A41_0009L, oneOf(MARKUP, MARKUP, ANY), raw -> {
            String once = Sanitizer.stripMarkup(raw);
            assertThat(once).doesNotContainPattern(TAG_OPEN);
            assertThat(Sanitizer.stripMarkup(once)).isEqualTo(once);
        });
    }

    private static void keepsTheNameRules(String name, int maxLength) {
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
}
