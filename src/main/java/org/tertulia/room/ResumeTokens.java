package org.tertulia.room;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Resume tokens: 128 random bits, given to the client once and never logged; the server
 * keeps only their SHA-256, so what it stores (in memory or in Redis) cannot be presented
 * as a token.
 */
final class ResumeTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ResumeTokens() {
    }

    /** A new token: 16 random bytes, base64url without padding (22 characters). */
    static String create() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What the server keeps of a token: its SHA-256, in hex. */
    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
