package org.tollgate.server.api;

import java.util.Map;
import org.tollgate.banner.store.StoreHealth;

/**
 * The state database as the API shows it.
 *
 * @param path   its file, or {@code :memory:}
 * @param health whether writes work now
 * @param rows   rows per table as last counted (every minute)
 */
public record StoreStatus(String path, StoreHealth health, Map<String, Long> rows) {

    public static final StoreStatus MEMORY = new StoreStatus(":memory:", StoreHealth.OK, Map.of());
}
