package org.tertulia.room;

import java.util.Locale;

/**
 * Who holds which name, and the sessions that hold them. Names are unique ignoring case; a
 * clash is settled by the smallest free numeric suffix. A session is a signed-in identity
 * (its id is the id of the connection that first signed in) with a resume token: when its
 * connection is lost, the name stays reserved for it for a grace period, and a new
 * connection presenting the token takes the session, name and all, back. Implementations
 * are atomic: two connections asking for one name at the same instant never both get it.
 */
public interface UsernameRegistry {

    /**
     * Gives session {@code id} the name {@code wanted} (already sanitised, not empty), or,
     * if another session holds it (or keeps it reserved), {@code wanted} with the smallest
     * free suffix from 2 up, cut so that the whole fits {@code maxLength} code points. Any
     * name {@code id} held before is released in the same step. On a first sign-in
     * ({@code tokenHash} not null) this opens the session, over {@code connection}, resumable
     * with the token of that hash. Returns the name given.
     */
    String claim(long id, long connection, String wanted, String tokenHash);

    /** Releases whatever {@code id} holds, and forgets its session: a claim undone. */
    void release(long id);

    /**
     * Session {@code id}'s connection {@code connection} ended. If it is still the
     * session's connection, the session ends: forgotten with its name, or, with
     * {@code keep}, kept resumable (the name reserved) for the grace period; returns true.
     * False when the session has moved to another connection meanwhile (or is gone).
     */
    boolean end(long id, long connection, boolean keep);

    /**
     * The session whose token has this hash and whose name is {@code name} (ignoring case),
     * now over {@code connection}; the connection it had before is no longer its own. Null
     * when no session has this token, its name is another, or its grace period is over.
     */
    Session resume(String tokenHash, String name, long connection);

    /** How many names this node's connections hold. */
    int held();

    /** A session taken back: its id and name. */
    record Session(long id, String name) {
    }

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
