package org.tollgate.server.custom;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.ParseResult;
import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.prefix.Layout;
import org.tollgate.normalizer.prefix.LogPrefix;
import org.tollgate.server.adopt.fail2ban.Fail2banFilter;

/**
 * The step after the normalizer for the jails' own fail2ban filters: a line the catalog did not classify (no
 * security event, or no Asterisk layout at all) is shown to each custom filter in configuration order, and the first
 * that finds a failure in it makes it an event with {@code event.action: custom:<filter>}, the address it found as
 * {@code source.ip} ({@code asterisk.address_origin: filter}, not trusted) and the user as {@code user.name}. A line the
 * catalog knows keeps the catalog's event, and the expressions never run on it, nor on pjproject's packet dumps
 * (attacker data); with no custom filter configured this step is one check per line. Thread-safe.
 */
public final class CustomFilters {

    /** No custom filter. */
    public static final CustomFilters NONE = new CustomFilters(List.of());

    private static final LogPrefix BARE = new LogPrefix(Layout.BARE, null, null, -1, null, null, -1, null, null,
            null, -1);

    private final Fail2banFilter[] filters;

    public CustomFilters(List<Fail2banFilter> filters) {
        this.filters = filters.toArray(Fail2banFilter[]::new);
    }

    public boolean isEmpty() {
        return filters.length == 0;
    }

    /** The filters' names, in configuration order. */
    public Set<String> names() {
        return Arrays.stream(filters).map(Fail2banFilter::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public List<Fail2banFilter> filters() {
        return List.of(filters);
    }

    /** {@code result}, or the custom event a filter makes of it. */
    public ParseResult apply(ParseResult result) {
        if (filters.length == 0) {
            return result;
        }
        if (result instanceof ParseResult.Parsed parsed) {
            AsteriskEvent event = parsed.event();
            if (event.isSecurity() || event.packetDump()) {
                return result;
            }
            Finding found = find(event.original());
            return found == null ? result : new ParseResult.Parsed(new AsteriskEvent(event.sequence(),
                    event.timestamp(), event.prefix(), event.message(), event.original(), found,
                    event.path(), false, event.truncated(), null));
        }
        ParseResult.Rejected rejected = (ParseResult.Rejected) result;
        if (rejected.reason() != ParseResult.RejectReason.UNRECOGNIZED) {
            return result;
        }
        Finding found = find(rejected.raw());
        return found == null ? result : new ParseResult.Parsed(new AsteriskEvent(rejected.sequence(),
                rejected.timestamp(), BARE, rejected.raw(), rejected.raw(), found, rejected.path(), false,
                false, null));
    }

    /** The finding of the first filter that finds a failure in {@code line}, or null. */
    private Finding find(String line) {
        for (Fail2banFilter filter : filters) {
            Fail2banFilter.Match match = filter.find(line);
            if (match != null) {
                return Finding.of(EventAction.CUSTOM, null)
                        .source(new Endpoint(match.ip(), Endpoint.NO_PORT), AddressOrigin.FILTER)
                        .user(match.user())
                        .filter(filter.name())
                        .build();
            }
        }
        return null;
    }
}
