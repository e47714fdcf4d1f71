package org.tertulia.room;

import java.util.Locale;

/**
 * Who holds which name. Names are unique ignoring case; a clash is settled by the
 * smallest free numeric suffix. Implementations are atomic: two connections asking for
 * one name at the same instant never both get it.
 */
public interface UsernameRegistry {

    /**
     * Gives connection {@code id} the name {@code wanted} (already sanitised, not empty),
     * or, if another connection holds it, {@code wanted} with the smallest free suffix
     * from 2 up, cut so that the whole fits {@code maxLength} code points. Any name
     * {@code id} held before is released in the same step. Returns the name given.
     */
    String claim(long id, String wanted);

    /** Releases whatever name {@code id} holds. */
    void release(long id);

    /** Whether some connection holds {@code name}, ignoring case. */
    boolean isTaken(String name);

    /** How many names this node's connections hold. */
    int held();

    /** The form two names share when they clash: case folded. */
    static String key(String name) {
        return name.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** {@code base} with numeric {@code suffix}, the base cut so the whole fits {@code maxLength} code points. */
    static String withSuffix(String base, int suffix, int maxLength) {
        String digits = Integer.toString(suffix);
        int room = maxLength - digits.length();
        int baseLength = base.codePointCount(0, base.length());
        String kept = baseLength <= room ? base : base.substring(0, base.offsetByCodePoints(0, Math.max(room, 0)));
        return kept + digits;
    }
}
