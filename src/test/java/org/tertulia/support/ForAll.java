package org.tertulia.support;

import java.util.SplittableRandom;

/**
 * A minimal property runner for plain JUnit tests: {@code forAll(tries, seed, gen, check)} draws
 * {@code tries} inputs from {@code gen} and runs {@code check} on each, failing with the base seed,
 * the try index, that try's own seed and the input (escaped, so controls and lone surrogates show).
 *
 * <p>Every try draws from its own {@link SplittableRandom}, seeded from the base seed and the try
 * index only, so a run is reproducible and one failing input is regenerated alone with
 * {@link #sample(Gen, long)} and the try seed the failure names. No shrinking.
 *
 * <p>{@code -Dtertulia.forall.seed=N} (decimal or 0x hex) replaces every base seed, to explore
 * other inputs; without it the seeds written in the tests are used and runs repeat exactly.
 */
public final class ForAll {

    public static final String SEED_PROPERTY = "tertulia.forall.seed";

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final int MAX_SHOWN = 2_000;

    private ForAll() {
    }

    /** The property itself: throws (an assertion or anything else) when {@code input} breaks it. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T input) throws Exception;
    }

    public static <T> void forAll(int tries, long seed, Gen<T> gen, Check<? super T> check) {
        long base = baseSeed(seed);
        for (int i = 0; i < tries; i++) {
            long trySeed = trySeed(base, i);
            T input;
            try {
                input = gen.next(new SplittableRandom(trySeed));
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError(where(i, tries, base, trySeed) + ": the generator threw", e);
            }
            try {
                check.accept(input);
            } catch (Exception | Error e) {
                throw new AssertionError(where(i, tries, base, trySeed) + "\ninput: " + describe(input)
                        + "\nfailure: " + e, e);
            }
        }
    }

    /** Regenerates the input of one try from the try seed a failure message names. */
    public static <T> T sample(Gen<T> gen, long trySeed) {
        return gen.next(new SplittableRandom(trySeed));
    }

    static long trySeed(long base, int index) {
        return mix64(base + GOLDEN_GAMMA * (index + 1L));
    }

    private static long baseSeed(long seed) {
        String override = System.getProperty(SEED_PROPERTY);
        return override == null || override.isBlank() ? seed : Long.decode(override.trim());
    }

    // The finaliser of SplitMix64: neighbouring indices give unrelated seeds.
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String where(int index, int tries, long base, long trySeed) {
        return String.format("property failed on try %d (0-based) of %d (base seed 0x%016XL, try seed 0x%016XL; "
                + "ForAll.sample(gen, 0x%016XL) regenerates the input)", index, tries, base, trySeed, trySeed);
    }

    /**
     * {@code String.valueOf(input)} as a Java string literal: ASCII only, everything else (and
     * quotes, backslashes, controls, lone surrogates) escaped, cut to a readable length.
     */
    public static String describe(Object input) {
        String s = String.valueOf(input);
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_SHOWN) + 16).append('"');
        int i = 0;
        for (; i < s.length() && out.length() < MAX_SHOWN; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04X", (int) c));
                    }
                }
            }
        }
        out.append('"');
        if (i < s.length()) {
            out.append(" ... (cut; ").append(s.length()).append(" chars in all)");
        }
        return out.toString();
    }
}
