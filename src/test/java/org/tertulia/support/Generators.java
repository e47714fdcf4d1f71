package org.tertulia.support;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generators for property tests (see {@link ForAll}): numbers with their edge cases,
 * strings over the whole of UTF-16 (controls, format characters, combining marks, lone and
 * paired surrogates), markup-heavy strings, JSON values and JSON text shaped like chat commands,
 * their prefixes and their mutations. Small sizes and edge cases come up more often than a
 * uniform draw would give them.
 */
public final class Generators {

    private Generators() {
    }

    // ------------------------------------------------------------------ choices and sizes

    /**
     * A size in {@code [0, max]}: 0 and {@code max} one time in sixteen each, a size of at most
     * 8 more than half the time, otherwise uniform.
     */
    public static int size(SplittableRandom r, int max) {
        if (max <= 0) {
            return 0;
        }
        int pick = r.nextInt(16);
        if (pick == 0) {
            return 0;
        }
        if (pick == 1) {
            return max;
        }
        if (pick < 10) {
            return r.nextInt(Math.min(max, 8) + 1);
        }
        return r.nextInt(max + 1);
    }

    @SafeVarargs
    public static <T> Gen<T> elementOf(T... values) {
        return elementOf(List.of(values));
    }

    public static <T> Gen<T> elementOf(List<T> values) {
        List<T> copy = List.copyOf(values);
        return r -> copy.get(r.nextInt(copy.size()));
    }

    /** Each generator chosen with equal chance. */
    @SafeVarargs
    public static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        List<Gen<? extends T>> copy = List.of(gens);
        return r -> copy.get(r.nextInt(copy.size())).next(r);
    }

    // ------------------------------------------------------------------ numbers

    /** Integers in {@code [min, max]}; the bounds and their neighbours one time in eight. */
    public static Gen<Integer> ints(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException(min + " > " + max);
        }
        return r -> {
            if (r.nextInt(8) == 0) {
                switch (r.nextInt(4)) {
                    case 0: return min;
                    case 1: return max;
                    case 2: return min < max ? min + 1 : min;
                    default: return min < max ? max - 1 : max;
                }
            }
            return (int) (min + r.nextLong((long) max - min + 1));
        };
    }

    private static final int[] INT_EDGES = {0, 1, -1, 2, 10, -10, 255, 256, 65_535, 65_536, Integer.MAX_VALUE,
            Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1};

    public static Gen<Integer> anyInt() {
        return r -> {
            switch (r.nextInt(4)) {
                case 0: return INT_EDGES[r.nextInt(INT_EDGES.length)];
                case 1: return r.nextInt(-1_000, 1_001);
                default: return r.nextInt();
            }
        };
    }

    private static final long[] LONG_EDGES = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
            Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L,
            Integer.MIN_VALUE - 1L, 1L << 53, (1L << 53) + 1, -(1L << 53) - 1};

    public static Gen<Long> anyLong() {
        return r -> {
            switch (r.nextInt(4)) {
                case 0: return LONG_EDGES[r.nextInt(LONG_EDGES.length)];
                case 1: return r.nextLong(-1_000, 1_001);
                default: return r.nextLong();
            }
        };
    }

    private static final double[] DOUBLE_EDGES = {0.0, -0.0, 1.0, -1.0, 0.1, 1.5, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE,
            Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, 1e300, 9.007199254740993E15};

    /** Doubles, NaN and the infinities among the edge cases; the rest from every bit pattern or a small range. */
    public static Gen<Double> anyDouble() {
        return r -> {
            switch (r.nextInt(4)) {
                case 0: return DOUBLE_EDGES[r.nextInt(DOUBLE_EDGES.length)];
                case 1: return Double.longBitsToDouble(r.nextLong());
                default: return (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-10, 11));
            }
        };
    }

    // ------------------------------------------------------------------ characters and strings

    /** Format characters: soft hyphen, bidi marks and overrides, zero-width ones, the BOM. */
    public static final String FORMAT_CHARS = "\u00AD\u061C\u180E\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C"
            + "\u202D\u202E\u2060\u2061\u2066\u2067\u2068\u2069\uFEFF\uFFF9";
    /** White space of every kind Java or Unicode knows, line and paragraph separators included. */
    public static final String SPACE_CHARS = " \t\n\r\013\f\u001C\u001F\u0085\u00A0\u1680\u2000\u2001\u2007"
            + "\u200A\u2028\u2029\u202F\u205F\u3000";
    /** Characters that matter to HTML and to JSON. */
    public static final String MARKUP_CHARS = "<>/!?&;#\"'=-\\{}[]:,";

    /**
     * Appends one character, by weight: printable ASCII 30%, markup and JSON punctuation 7%, C0
     * controls and DEL 8%, C1 controls 3%, white space 5%, format characters 4%, combining marks
     * 5%, the rest of the BMP 19% (private use, non-characters and half-width/full-width forms
     * included), a lone high surrogate 4%, a lone low surrogate 4%, an emoji 4%, any supplementary
     * code point 7% (unassigned and private-use planes included).
     */
    public static void appendAnyChar(SplittableRandom r, StringBuilder out) {
        int pick = r.nextInt(100);
        if (pick < 30) {
            out.append((char) r.nextInt(0x20, 0x7F));
        } else if (pick < 37) {
            out.append(MARKUP_CHARS.charAt(r.nextInt(MARKUP_CHARS.length())));
        } else if (pick < 45) {
            int c = r.nextInt(33);
            out.append((char) (c == 32 ? 0x7F : c));
        } else if (pick < 48) {
            out.append((char) r.nextInt(0x80, 0xA0));
        } else if (pick < 53) {
            out.append(SPACE_CHARS.charAt(r.nextInt(SPACE_CHARS.length())));
        } else if (pick < 57) {
            out.append(FORMAT_CHARS.charAt(r.nextInt(FORMAT_CHARS.length())));
        } else if (pick < 62) {
            out.append(r.nextInt(4) == 0 ? '\u0338' : (char) r.nextInt(0x0300, 0x0370));
        } else if (pick < 76) {
            out.append((char) r.nextInt(0xA0, 0xD800));
        } else if (pick < 81) {
            out.append((char) r.nextInt(0xE000, 0x10000));
        } else if (pick < 85) {
            out.append((char) r.nextInt(Character.MIN_HIGH_SURROGATE, Character.MAX_HIGH_SURROGATE + 1));
        } else if (pick < 89) {
            out.append((char) r.nextInt(Character.MIN_LOW_SURROGATE, Character.MAX_LOW_SURROGATE + 1));
        } else if (pick < 93) {
            out.appendCodePoint(r.nextInt(0x1F300, 0x1FB00));
        } else {
            out.appendCodePoint(r.nextInt(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT + 1));
        }
    }

    /** Arbitrary strings of up to 255 characters (see {@link #appendAnyChar}). */
    public static Gen<String> strings() {
        return strings(255);
    }

    /** Arbitrary strings of up to {@code maxLength} characters, a supplementary one counting as one. */
    public static Gen<String> strings(int maxLength) {
        return r -> {
            int n = size(r, maxLength);
            StringBuilder out = new StringBuilder(n * 2);
            for (int i = 0; i < n; i++) {
                appendAnyChar(r, out);
            }
            return out.toString();
        };
    }

    /** Strings of up to {@code maxLength} chars drawn from {@code alphabet} (repeat a char to weight it). */
    public static Gen<String> stringsOf(String alphabet, int maxLength) {
        return r -> {
            int n = size(r, maxLength);
            StringBuilder out = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                out.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            return out.toString();
        };
    }

    /** Strings of up to {@code maxLength} chars in {@code [from, to]}. */
    public static Gen<String> stringsIn(char from, char to, int maxLength) {
        return r -> {
            int n = size(r, maxLength);
            StringBuilder out = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                out.append((char) r.nextInt(from, to + 1));
            }
            return out.toString();
        };
    }

    /** Up to {@code maxParts} parts drawn from {@code parts}, concatenated. */
    public static Gen<String> concat(List<String> parts, int maxParts) {
        return concat(elementOf(parts), maxParts);
    }

    /** Up to {@code maxParts} values of {@code part}, concatenated. */
    public static Gen<String> concat(Gen<String> part, int maxParts) {
        return part.list(maxParts).map(list -> String.join("", list));
    }

    // ------------------------------------------------------------------ markup

    /**
     * Pieces of markup and of text around it: tag, end-tag, comment and declaration openers,
     * real tags, lone brackets, letters, entities, quotes, and the characters a sanitizer must
     * see through or must not be fooled by (controls, zero-width and bidi characters, combining
     * marks, {@code U+0338} which composes with {@code <} under NFC, look-alike brackets, lone
     * surrogates, emoji, non-breaking spaces).
     */
    public static final List<String> MARKUP_FRAGMENTS = List.of("<", "<", "<", "</", "<!", "<!--", "-->", "<?",
            "<?xml", "<!DOCTYPE html>", ">", ">", "/>", "<a", "<A", "<z", "<Z", "<b>", "</b>", "<script>",
            "</script>", "<img src=x onerror=y>", "<a href=\"javascript:x\">", "<<", "<</", "<<a", "<>", "</>",
            "a", "Z", "s", "x", "1", " ", "  ", "1 < 2", "< ", "<1", "a<3", "&lt;", "&#60;", "&#x3C;", "&gt;",
            "&amp;", "\"", "'", "=", "!", "?", "/", "-", "\u0000", "\r", "\n", "\t", "\r\n", "\u007F",
            "\u0085", "<\u0000b", "<\u200Bb", "<\u00ADb", "<\u202Eb", "<\u2066b", "<\uFEFFb", "<\u0085b",
            "<\rb", "<\r\nb", "<\u0301a", "<\u0338", "<\u0338a", "\u0338", "\u0301", "\u200B", "\u202E",
            "\uFF1C", "\uFE64", "\u2039", "\u226E", "\uD800", "\uDC00", "<\uD800a", "<\uDC00a", "\uD83D\uDE00",
            "<\uD83D\uDE00", "\uD83D", "\uDE00", "é", "e\u0301", "\u00A0", "<\u00A0a", "\u3000", "\uE000",
            "\uFFFF", "\uDB80\uDC00");

    /**
     * Markup-heavy strings: short strings over a small alphabet of brackets, letters and
     * troublesome characters; concatenations of {@link #MARKUP_FRAGMENTS}; and those fragments
     * mixed with arbitrary characters.
     */
    public static Gen<String> markup() {
        Gen<String> alphabet = stringsOf("<<<>>/!?-aZs \"'=\u0000\r\n\t\u0301\u200B\uD800\uDC00\u0338&;", 40);
        Gen<String> fragments = concat(MARKUP_FRAGMENTS, 12);
        Gen<String> mixed = concat(oneOf(elementOf(MARKUP_FRAGMENTS), strings(3)), 16);
        return oneOf(alphabet, fragments, fragments, mixed);
    }

    // ------------------------------------------------------------------ JSON

    /** The JSON text of {@code s} the plain way: only {@code "}, {@code \} and controls escaped. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /**
     * The JSON text of {@code s}, escaped every valid way at random: the short escapes, or
     * {@code \}{@code uXXXX} in either case for any char (surrogates included), {@code \/}, or raw.
     */
    public static String quote(String s, SplittableRandom r) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean mustEscape = c == '"' || c == '\\' || c < 0x20;
            if (!mustEscape && r.nextInt(12) != 0) {
                out.append(c);
                continue;
            }
            String shortEscape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '/' -> "\\/";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> null;
            };
            if (shortEscape != null && r.nextBoolean()) {
                out.append(shortEscape);
            } else {
                out.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
            }
        }
        return out.append('"').toString();
    }

    /** Valid JSON scalars that test a parser's edges: signed zero, huge and tiny numbers, escapes. */
    public static final List<String> ODD_SCALARS = List.of("null", "true", "false", "0", "-0", "0.0", "-0.0",
            "1e400", "-1e-400", "1E+2", "1e-7", "123456789012345678901234567890",
            "-123456789012345678901234567890.5e-7", "9007199254740993", "1.5", "\"\"", "\"\\u0000\"",
            "\"\\uD800\"", "\"\\udc00\\ud800\"", "\"\\uD83D\\uDE00\"", "\"\\\"\"", "\"\\/\"");

    /** Text that is not JSON, or not all of it: bare words, bad numbers and escapes, open strings. */
    public static final List<String> NOT_JSON = List.of("NaN", "Infinity", "-Infinity", "01", "+1", ".5", "1.",
            "0x10", "1e", "-", "TRUE", "nul", "undefined", "'single'", "\"\\x\"", "\"\\u12\"", "\"\\", "\"open",
            "\"raw\ncontrol\"", "\"\u0000\"", "/* c */1", "1 2", "}", "]", ":", ",", "");

    /**
     * One JSON scalar: an odd one, an integer, a long, a double (as Java writes it, which
     * includes {@code NaN} and {@code Infinity}) or a string of up to 40 characters quoted
     * every valid way, and now and then (1%) a token that is not JSON.
     */
    public static Gen<String> jsonScalars() {
        Gen<String> strings = strings(40);
        return r -> {
            int pick = r.nextInt(100);
            if (pick < 25) {
                return ODD_SCALARS.get(r.nextInt(ODD_SCALARS.size()));
            } else if (pick < 26) {
                return NOT_JSON.get(r.nextInt(NOT_JSON.size()));
            } else if (pick < 43) {
                return String.valueOf(anyInt().next(r));
            } else if (pick < 50) {
                return String.valueOf(anyLong().next(r));
            } else if (pick < 62) {
                return String.valueOf(anyDouble().next(r));
            } else {
                return quote(strings.next(r), r);
            }
        };
    }

    /** JSON values nested at most 4 deep, object keys taken from {@code keys} half the time. */
    public static Gen<String> jsonValues(List<String> keys) {
        return jsonValues(4, keys);
    }

    /**
     * JSON values: scalars, arrays and objects of up to 4 members nested at most {@code maxDepth}
     * deep (keys from {@code likelyKeys} half the time, arbitrary otherwise, duplicates possible),
     * with white space here and there; one value in twenty is instead a deep chain of 1 to 2,000
     * arrays and objects around a scalar.
     */
    public static Gen<String> jsonValues(int maxDepth, List<String> likelyKeys) {
        List<String> keys = List.copyOf(likelyKeys);
        Gen<String> scalars = jsonScalars();
        Gen<String> otherKeys = strings(10);
        return r -> {
            StringBuilder out = new StringBuilder();
            if (r.nextInt(20) == 0) {
                appendDeep(r, out, r.nextInt(1, 2_001), keys, scalars);
            } else {
                appendJson(r, out, maxDepth, keys, scalars, otherKeys);
            }
            return out.toString();
        };
    }

    private static void appendJson(SplittableRandom r, StringBuilder out, int depth, List<String> keys,
            Gen<String> scalars, Gen<String> otherKeys) {
        int pick = depth <= 0 ? 0 : r.nextInt(19);
        space(r, out);
        if (pick < 8) {
            out.append(scalars.next(r));
        } else if (pick < 13) {
            out.append('[');
            int n = size(r, 4);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendJson(r, out, depth - 1, keys, scalars, otherKeys);
            }
            space(r, out);
            out.append(']');
        } else {
            out.append('{');
            int n = size(r, 4);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                space(r, out);
                out.append(quote(r.nextBoolean() ? keys.get(r.nextInt(keys.size())) : otherKeys.next(r), r));
                space(r, out);
                out.append(':');
                appendJson(r, out, depth - 1, keys, scalars, otherKeys);
            }
            space(r, out);
            out.append('}');
        }
        space(r, out);
    }

    private static void appendDeep(SplittableRandom r, StringBuilder out, int depth, List<String> keys,
            Gen<String> scalars) {
        StringBuilder closers = new StringBuilder(depth);
        for (int i = 0; i < depth; i++) {
            if (r.nextBoolean()) {
                out.append('[');
                closers.append(']');
            } else {
                out.append('{').append(quote(keys.get(r.nextInt(keys.size())))).append(':');
                closers.append('}');
            }
        }
        out.append(scalars.next(r)).append(closers.reverse());
    }

    private static void space(SplittableRandom r, StringBuilder out) {
        if (r.nextInt(8) == 0) {
            out.append(" \n\t\r  ".charAt(r.nextInt(6)));
        }
    }

    /**
     * JSON text shaped like a command. A quarter are well formed: a type from {@code likelyTypes}
     * and each of {@code fields} but {@code type} present half the time, mostly as an arbitrary string, sometimes
     * null or any JSON value. The rest are an object with a {@code "type"} member and up to 5
     * members named from {@code fields}, whose values are arbitrary strings half the time and any
     * JSON value otherwise; the type is one of {@code likelyTypes} 40% of the time, one of
     * {@code types} 30%, any JSON value 30%, and is missing one time in ten. Names and strings
     * are quoted every valid way, and the type is not always the first member.
     */
    public static Gen<String> commands(List<String> likelyTypes, List<String> types, List<String> fields) {
        List<String> likely = List.copyOf(likelyTypes);
        List<String> typeNames = List.copyOf(types);
        List<String> fieldNames = List.copyOf(fields);
        Gen<String> values = jsonValues(fieldNames);
        Gen<String> strings = strings();
        return r -> {
            List<String> members = new ArrayList<>();
            if (r.nextInt(4) == 0) {
                for (String field : fieldNames) {
                    if (!field.equals("type") && r.nextBoolean()) {
                        int pick = r.nextInt(8);
                        String value = pick < 6 ? quote(strings.next(r), r) : pick == 6 ? "null" : values.next(r);
                        members.add(r.nextInt(members.size() + 1), quote(field, r) + ":" + value);
                    }
                }
                String type = "\"type\":" + quote(likely.get(r.nextInt(likely.size())), r);
                members.add(r.nextInt(3) == 0 ? r.nextInt(members.size() + 1) : 0, type);
                return "{" + String.join(",", members) + "}";
            }
            int n = size(r, 5);
            for (int i = 0; i < n; i++) {
                String value = r.nextBoolean() ? quote(strings.next(r), r) : values.next(r);
                members.add(quote(fieldNames.get(r.nextInt(fieldNames.size())), r) + ":" + value);
            }
            if (r.nextInt(10) != 0) {
                int pick = r.nextInt(10);
                String type = pick < 4 ? quote(likely.get(r.nextInt(likely.size())), r)
                        : pick < 7 ? quote(typeNames.get(r.nextInt(typeNames.size())), r)
                        : values.next(r);
                members.add(r.nextInt(3) == 0 ? r.nextInt(members.size() + 1) : 0, "\"type\":" + type);
            }
            return "{" + String.join(",", members) + "}";
        };
    }

    /**
     * Prefixes of {@code whole}'s values, cut anywhere (through a surrogate pair or an escape
     * included): empty, whole, or one char short one time in eight each, uniformly otherwise.
     */
    public static Gen<String> prefixes(Gen<String> whole) {
        return r -> {
            String s = whole.next(r);
            int cut;
            switch (r.nextInt(8)) {
                case 0: cut = 0; break;
                case 1: cut = s.length(); break;
                case 2: cut = Math.max(0, s.length() - 1); break;
                default: cut = r.nextInt(s.length() + 1);
            }
            return s.substring(0, cut);
        };
    }

    /**
     * {@code base}'s values after 1 to {@code maxEdits} random edits: a char deleted, inserted
     * (any char or JSON punctuation), replaced, a slice duplicated, or two chars swapped.
     */
    private static final String JSON_PUNCTUATION = "{}[]:,\"\\ 0-e.";

    public static Gen<String> mutations(Gen<String> base, int maxEdits) {
        return r -> {
            StringBuilder s = new StringBuilder(base.next(r));
            int edits = r.nextInt(1, maxEdits + 1);
            for (int e = 0; e < edits; e++) {
                int at = r.nextInt(s.length() + 1);
                int op = s.length() == 0 ? 1 : r.nextInt(5);
                StringBuilder one = new StringBuilder(2);
                if (r.nextBoolean()) {
                    one.append(JSON_PUNCTUATION.charAt(r.nextInt(JSON_PUNCTUATION.length())));
                } else {
                    appendAnyChar(r, one);
                }
                switch (op) {
                    case 0:
                        s.deleteCharAt(Math.min(at, s.length() - 1));
                        break;
                    case 1:
                        s.insert(at, one);
                        break;
                    case 2:
                        s.replace(Math.min(at, s.length() - 1), Math.min(at, s.length() - 1) + 1, one.toString());
                        break;
                    case 3: {
                        int from = Math.min(at, s.length() - 1);
                        int to = r.nextInt(from, s.length() + 1);
                        s.insert(to, s.substring(from, to));
                        break;
                    }
                    default: {
                        int i = Math.min(at, s.length() - 1);
                        int j = r.nextInt(s.length());
                        char c = s.charAt(i);
                        s.setCharAt(i, s.charAt(j));
                        s.setCharAt(j, c);
                    }
                }
            }
            return s.toString();
        };
    }

    /** JSON-ish token soup: up to {@code maxTokens} JSON tokens, fragments and keywords in any order. */
    public static Gen<String> jsonTokens(List<String> words, int maxTokens) {
        List<String> tokens = new ArrayList<>(List.of("{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\uD800",
                " ", "\n", "null", "true", "false", "0", "-", "1e9", ".", "e", "\"type\"", "\"\":"));
        for (String word : words) {
            tokens.add(quote(word));
        }
        return concat(tokens, maxTokens);
    }
}
