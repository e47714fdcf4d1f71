package org.tertulia.protocol;

/** Why a frame was refused: the {@code code} of an {@code error} frame. */
public enum ErrorCode {
    BAD_JSON("bad-json"),
    BAD_FIELD("bad-field"),
    TEXT_TOO_LONG("text-too-long"),
    NOT_SIGNED_IN("not-signed-in"),
    RATE_LIMITED("rate-limited"),
    UNKNOWN_TARGET("unknown-target"),
    NOT_DELIVERED("not-delivered");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The short string sent as {@code code}. */
    public String wire() {
        return wire;
    }
}
