package org.tertulia.room;

import java.util.function.LongSupplier;

/** Where connection ids come from: unique among live connections, across nodes in a cluster. */
public interface ConnectionIds extends LongSupplier {
}
