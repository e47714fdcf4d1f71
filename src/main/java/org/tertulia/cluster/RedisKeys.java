package org.tertulia.cluster;

import java.util.List;

/**
 * The names of everything the cluster keeps in Redis, all under one prefix.
 *
 * <ul>
 * <li>{@code events}: the stream, the one order of room events</li>
 * <li>{@code history}: the last room messages, newest first (a list of encoded events)</li>
 * <li>{@code roster}: hash id → "order:name", the signed-in users; order (the stream id of the
 * user's first Joined) gives sign-in order</li>
 * <li>{@code names}: hash case-folded name → id; {@code holders}: hash id → case-folded name</li>
 * <li>{@code ids}: counter behind connection ids</li>
 * <li>{@code nodes}: set of registered node ids; {@code node:N}: N's heartbeat, expiring;
 * {@code hosted:N}: ids signed in on N</li>
 * <li>{@code epoch}: present while Redis still holds the cluster's state (gone after a data loss);
 * {@code settling}: present for a moment after a data loss, while nodes re-assert their users</li>
 * </ul>
 */
record RedisKeys(String prefix) {

    static final RedisKeys DEFAULT = new RedisKeys("tertulia:");

    String events() {
        return prefix + "events";
    }

    String history() {
        return prefix + "history";
    }

    String roster() {
        return prefix + "roster";
    }

    String names() {
        return prefix + "names";
    }

    String holders() {
        return prefix + "holders";
    }

    String ids() {
        return prefix + "ids";
    }

    String nodes() {
        return prefix + "nodes";
    }

    String node(String nodeId) {
        return prefix + "node:" + nodeId;
    }

    String hosted(String nodeId) {
        return prefix + "hosted:" + nodeId;
    }

    String epoch() {
        return prefix + "epoch";
    }

    String settling() {
        return prefix + "settling";
    }

    List<String> publishKeys() {
        return List.of(events(), roster(), history(), holders());
    }
}
