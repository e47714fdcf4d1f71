package org.tertulia.room;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class InMemoryUsernameRegistryTest {

    private final InMemoryUsernameRegistry registry = new InMemoryUsernameRegistry(32);

    @Test
    void freeNameIsGivenAsAsked() {
        assertThat(registry.claim(1, "alice")).isEqualTo("alice");
    }

    @Test
    void duplicateNameGetsSmallestFreeSuffix() {
        registry.claim(1, "alice");
        assertThat(registry.claim(2, "alice")).isEqualTo("alice2");
        assertThat(registry.claim(3, "alice")).isEqualTo("alice3");
        registry.release(2);
        assertThat(registry.claim(4, "alice")).isEqualTo("alice2");
    }

    @Test
    void clashesIgnoreCase() {
        registry.claim(1, "Alice");
        assertThat(registry.claim(2, "aLICE")).isEqualTo("aLICE2");
        assertThat(registry.isTaken("ALICE")).isTrue();
    }

    @Test
    void renamingReleasesTheOldName() {
        registry.claim(1, "alice");
        assertThat(registry.claim(1, "alicia")).isEqualTo("alicia");
        assertThat(registry.claim(2, "alice")).isEqualTo("alice");
        assertThat(registry.held()).isEqualTo(2);
    }

    @Test
    void keepingYourOwnNameInAnotherCaseIsNoClash() {
        registry.claim(1, "alice");
        assertThat(registry.claim(1, "Alice")).isEqualTo("Alice");
    }

    @Test
    void suffixKeepsTheNameWithinTheLimit() {
        String longName = "x".repeat(32);
        registry.claim(1, longName);
        String given = registry.claim(2, longName);
        assertThat(given).hasSize(32).endsWith("2").startsWith("x".repeat(31));
    }

    @Test
    void releaseForgetsEverything() {
        registry.claim(1, "alice");
        registry.release(1);
        registry.release(1);
        assertThat(registry.isTaken("alice")).isFalse();
        assertThat(registry.held()).isZero();
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
                given.add(registry.claim(id, "bob"));
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(given).hasSize(200).contains("bob", "bob2", "bob200");
    }
}
