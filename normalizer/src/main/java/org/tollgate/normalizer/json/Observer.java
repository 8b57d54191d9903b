package org.tollgate.normalizer.json;

import java.util.Objects;

/**
 * What observed the events: {@code observer.hostname}, {@code observer.product}, {@code observer.vendor} and
 * {@code observer.version}, written with {@code ecs.version} and {@code event.ingested} on every event of a running
 * service, so a SIEM that gathers events from many PBXs can tell which Tollgate saw each one and when.
 *
 * @param hostname the host Tollgate runs on
 * @param version  Tollgate's version
 * @param ip       the host's address in its cluster ({@code observer.ip}), or null when it is not a node of one
 */
public record Observer(String hostname, String version, String ip) {

    public static final String PRODUCT = "Tollgate";
    public static final String VENDOR = "Tollgate";
    /** The ECS version the events follow ({@code ecs.version}). */
    public static final String ECS_VERSION = "9.0.0";

    public Observer {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(version, "version");
    }

    /** Outside a cluster: no address. */
    public Observer(String hostname, String version) {
        this(hostname, version, null);
    }

    /** The same observer at {@code address} in its cluster. */
    public Observer withIp(String address) {
        return new Observer(hostname, version, address);
    }
}
