package org.tertulia.room;

/** Where connection ids come from: unique among live connections, across nodes in a cluster. */
@FunctionalInterface
public interface ConnectionIds {

    /** The next id. May block briefly for I/O in a cluster. */
    long next();
}
