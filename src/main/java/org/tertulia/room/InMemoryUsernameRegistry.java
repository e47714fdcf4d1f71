package org.tertulia.room;

import java.util.HashMap;
import java.util.Map;

/** The registry of one node, kept in memory. */
final class InMemoryUsernameRegistry implements UsernameRegistry {

    private final int maxLength;
    private final Map<String, Long> holderByKey = new HashMap<>();
    private final Map<Long, String> nameById = new HashMap<>();

    InMemoryUsernameRegistry(int maxLength) {
        this.maxLength = maxLength;
    }

    @Override
    public synchronized String claim(long id, String wanted) {
        String given = wanted;
        for (int suffix = 2; !isFreeFor(id, given); suffix++) {
            given = UsernameRegistry.withSuffix(wanted, suffix, maxLength);
        }
        release(id);
        holderByKey.put(UsernameRegistry.key(given), id);
        nameById.put(id, given);
        return given;
    }

    private boolean isFreeFor(long id, String name) {
        Long holder = holderByKey.get(UsernameRegistry.key(name));
        return holder == null || holder == id;
    }

    @Override
    public synchronized void release(long id) {
        String old = nameById.remove(id);
        if (old != null) {
            holderByKey.remove(UsernameRegistry.key(old));
        }
    }

    @Override
    public synchronized boolean isTaken(String name) {
        return holderByKey.containsKey(UsernameRegistry.key(name));
    }

    @Override
    public synchronized int held() {
        return nameById.size();
    }
}
