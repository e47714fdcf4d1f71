package org.tertulia.cluster;

/**
 * The kinds of append {@code append.lua} knows: each says what bookkeeping goes with the
 * event in the same atomic step (see the script).
 */
enum Append {
    /** Joined or renamed; dropped if the user holds no name any more (it left meanwhile). */
    NAME("name"),
    /** A user put back on the roster after a loss; dropped if the roster has it right already. */
    REASSERT("reassert"),
    /** A session over a new connection: on the roster (again) with that connection. */
    RESUMED("resumed"),
    /** Left: off the roster, unless the session is on another connection by now. */
    LEAVE("leave"),
    /** Left, for a user whose node is gone; dropped if the roster no longer has it. */
    GHOST("ghost"),
    /** A room message: kept in the shared history too. */
    LINE("line"),
    /** Anything else (private messages, typing): appended as it is. */
    PASS("pass");

    private final String script;

    Append(String script) {
        this.script = script;
    }

    /** The kind as the script spells it. */
    String script() {
        return script;
    }
}
