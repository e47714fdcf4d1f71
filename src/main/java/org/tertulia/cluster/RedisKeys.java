package org.tertulia.cluster;

/**
 * The names of everything the cluster keeps in Redis, all under one prefix.
 *
 * <ul>
 * <li>{@code events}: the stream, the one order of room events, each entry's id being its
 * position ({@code <position>-0}); {@code position}: the last position given; {@code pushed}:
 * the Pub/Sub channel (not a key) on which each entry is also published as it is appended</li>
 * <li>{@code history}: the last room messages, newest first ("position encoded-event")</li>
 * <li>{@code roster}: hash id → "order:connection:name", the signed-in users; order (the
 * position of the user's first join) gives sign-in order</li>
 * <li>{@code names}: hash case-folded name → session id; {@code holders}: hash id → case-folded name</li>
 * <li>{@code session:ID}: hash of a session: its token's hash, connection, node and name;
 * {@code tokens}: hash token hash → id; {@code lapsing}: sorted set of lost sessions by the
 * time (ms) their grace runs out</li>
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

    /** The channel every appended entry is published on (see {@code append.lua}). */
    String pushed() {
        return prefix + "pushed";
    }

    String history() {
        return prefix + "history";
    }

    String roster() {
        return prefix + "roster";
    }

    String position() {
        return prefix + "position";
    }

    String sessions() {
        return prefix + "session:";
    }

    String tokens() {
        return prefix + "tokens";
    }

    String lapsing() {
        return prefix + "lapsing";
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
        return hosted() + nodeId;
    }

    String hosted() {
        return prefix + "hosted:";
    }

    String epoch() {
        return prefix + "epoch";
    }

    String settling() {
        return prefix + "settling";
    }
}
