package org.tertulia.protocol;

/** A frame the protocol refuses; carries what the offender is told. */
public final class ProtocolException extends Exception {

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String text) {
        super(text, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
