package org.tertulia.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class InMemoryUsernameRegistryTest {

    private static final Duration GRACE = Duration.ofMinutes(2);

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final InMemoryUsernameRegistry registry = new InMemoryUsernameRegistry(32, GRACE, nanos::get);

    /** A claim by session {@code id} over its first connection, with no token (a rename, or a test that needs none). */
    private String claim(long id, String name) {
        return registry.claim(id, id, name, null);
    }

    /** A first sign-in, opening a session resumable with {@code token}. */
    private String signIn(long id, String name, String token) {
        return registry.claim(id, id, name, ResumeTokens.hash(token));
    }

    private void later(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void freeNameIsGivenAsAsked() {
        assertThat(claim(1, "alice")).isEqualTo("alice");
    }

    @Test
    void duplicateNameGetsSmallestFreeSuffix() {
        claim(1, "alice");
        assertThat(claim(2, "alice")).isEqualTo("alice2");
        assertThat(claim(3, "alice")).isEqualTo("alice3");
        registry.release(2);
        assertThat(claim(4, "alice")).isEqualTo("alice2");
    }

    @Test
    void clashesIgnoreCase() {
        claim(1, "Alice");
        assertThat(claim(2, "aLICE")).isEqualTo("aLICE2");
        assertThat(claim(3, "ALICE")).isEqualTo("ALICE3");
    }

    @Test
    void renamingReleasesTheOldName() {
        claim(1, "alice");
        assertThat(claim(1, "alicia")).isEqualTo("alicia");
        assertThat(claim(2, "alice")).isEqualTo("alice");
        assertThat(registry.held()).isEqualTo(2);
    }

    @Test
    void keepingYourOwnNameInAnotherCaseIsNoClash() {
        claim(1, "alice");
        assertThat(claim(1, "Alice")).isEqualTo("Alice");
    }

    @Test
    void suffixKeepsTheNameWithinTheLimit() {
        String longName = "x".repeat(32);
        claim(1, longName);
        String given = claim(2, longName);
        assertThat(given).hasSize(32).endsWith("2").startsWith("x".repeat(31));
    }

    @Test
    void releaseForgetsEverything() {
        signIn(1, "alice", "t1");
        registry.release(1);
        registry.release(1);
        assertThat(claim(2, "alice")).isEqualTo("alice");
        assertThat(registry.resume(ResumeTokens.hash("t1"), "alice", 3)).isNull();
        assertThat(registry.held()).isEqualTo(1);
    }

    @Test
    void aLostSessionKeepsItsNameReservedAndIsResumedWithItsToken() {
        signIn(1, "ana", "secret");
        assertThat(registry.end(1, 1, true)).isTrue();
        assertThat(registry.held()).isZero();
        assertThat(claim(2, "ana")).isEqualTo("ana2");
        assertThat(registry.resume(ResumeTokens.hash("secret"), "ANA", 9))
                .isEqualTo(new UsernameRegistry.Session(1, "ana"));
        assertThat(registry.held()).isEqualTo(2);
    }

    @Test
    void aSessionGoesOnOverItsNewConnectionEvenWhileTheOldOneIsOpen() {
        signIn(1, "ana", "secret");
        assertThat(registry.resume(ResumeTokens.hash("secret"), "ana", 9)).isNotNull();
        // The old connection ending later is moot: the session is the new one's now.
        assertThat(registry.end(1, 1, true)).isFalse();
        assertThat(registry.end(1, 9, false)).isTrue();
        assertThat(claim(2, "ana")).isEqualTo("ana");
    }

    @Test
    void aWrongTokenOrAnotherNamesTokenResumesNothing() {
        signIn(1, "ana", "secret");
        registry.end(1, 1, true);
        assertThat(registry.resume(ResumeTokens.hash("guess"), "ana", 9)).isNull();
        assertThat(registry.resume(ResumeTokens.hash("secret"), "bruno", 9)).isNull();
    }

    @Test
    void afterTheGraceTheNameIsFreeAndTheTokenVoid() {
        signIn(1, "ana", "secret");
        registry.end(1, 1, true);
        later(GRACE.plusMillis(1));
        assertThat(registry.resume(ResumeTokens.hash("secret"), "ana", 9)).isNull();
        assertThat(claim(2, "ana")).isEqualTo("ana");
    }

    @Test
    void aGoodbyeEndsTheSessionAtOnce() {
        signIn(1, "ana", "secret");
        assertThat(registry.end(1, 1, false)).isTrue();
        assertThat(registry.resume(ResumeTokens.hash("secret"), "ana", 9)).isNull();
        assertThat(claim(2, "ana")).isEqualTo("ana");
    }

    @Test
    void aSessionLostTwiceLapsesOnlyAfterItsSecondGrace() {
        signIn(1, "ana", "secret");
        registry.end(1, 1, true);
        later(GRACE.dividedBy(2));
        registry.resume(ResumeTokens.hash("secret"), "ana", 9);
        registry.end(1, 9, true);
        later(GRACE.dividedBy(2).plusMillis(1));
        assertThat(registry.resume(ResumeTokens.hash("secret"), "ana", 10)).isNotNull();
    }

    @Test
    void concurrentClaimsNeverShareAName() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<String> given = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 200; i++) {
            long id = i;
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                given.add(claim(id, "bob"));
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(given).hasSize(200).contains("bob", "bob2", "bob200");
    }
}
