package org.tollgate.server.enrich;

import org.tollgate.normalizer.geo.SourceGeo;

/** Where an address is: the step that adds {@code source.geo.*} and {@code source.as.*} to an event. Thread-safe. */
@FunctionalInterface
public interface GeoLookup {

    /** No databases: nothing is ever known. */
    GeoLookup NONE = ip -> null;

    /** What the databases say about {@code ip} (canonical IP text), or null when they say nothing. Never throws. */
    SourceGeo of(String ip);
}
