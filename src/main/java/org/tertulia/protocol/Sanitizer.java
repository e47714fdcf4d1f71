package org.tertulia.protocol;

import java.text.Normalizer;

/**
 * Makes client text safe to show: strips markup a browser would parse as a tag and
 * characters that have no business in a chat line, while leaving plain text such as
 * {@code 1 < 2} alone.
 */
public final class Sanitizer {

    private Sanitizer() {
    }

    /**
     * Removes every {@code <} that a browser's HTML tokenizer would take as the start of a
     * tag, comment or declaration (a {@code <} before a letter, {@code /}, {@code !} or
     * {@code ?}), together with everything up to the next {@code >}, or to the end when
     * unclosed. Runs in one pass and reaches a fixpoint: removing a tag never joins a
     * {@code <} kept earlier to a letter after it into a new tag.
     */
    public static String stripMarkup(String in) {
        if (in.indexOf('<') < 0) {
            return in;
        }
        StringBuilder out = new StringBuilder(in.length());
        int i = 0;
        int n = in.length();
        while (i < n) {
            char c = in.charAt(i);
            int last = out.length() - 1;
            if (last >= 0 && out.charAt(last) == '<' && opensTag(c)) {
                out.setLength(last);
                int close = in.indexOf('>', i + 1);
                i = close < 0 ? n : close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean opensTag(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!' || c == '?';
    }

    /**
     * A message's text, otherwise as sent (no normalisation: combining marks and joiners are
     * the sender's choice): line breaks and tabs kept (CR LF folded to LF), other control
     * characters and unpaired surrogates removed, then markup stripped.
     */
    public static String text(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r') {
                if (i + 1 >= raw.length() || raw.charAt(i + 1) != '\n') {
                    out.append('\n');
                }
            } else if (c == '\n' || c == '\t') {
                out.append(c);
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                    out.append(c).append(raw.charAt(++i));
                }
            } else if (!Character.isISOControl(c) && !Character.isLowSurrogate(c)) {
                out.append(c);
            }
        }
        return stripMarkup(out.toString());
    }

    /**
     * A user name: NFC, every control, format (bidi overrides, zero-width), unassigned and
     * unpaired surrogate character removed, markup stripped, runs of white space folded to
     * one space, trimmed, and cut to at most {@code maxLength} code points. May be empty.
     */
    public static String name(String raw, int maxLength) {
        String s = Normalizer.normalize(raw, Normalizer.Form.NFC);
        StringBuilder kept = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                kept.append(' ');
            } else if (type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                    && type != Character.UNASSIGNED && type != Character.PRIVATE_USE) {
                kept.appendCodePoint(cp);
            }
        }
        // Folding white space after stripping: removing a tag may leave two spaces side by side.
        String stripped = stripMarkup(kept.toString());
        StringBuilder out = new StringBuilder(stripped.length());
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (c != ' ' || (out.length() > 0 && out.charAt(out.length() - 1) != ' ')) {
                out.append(c);
            }
        }
        return cut(out.toString().trim(), maxLength);
    }

    /** {@code s} cut to at most {@code max} code points, never splitting a pair, then trimmed. */
    public static String cut(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max)).trim();
    }

    /** Length in code points, the unit every limit on text is stated in. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
