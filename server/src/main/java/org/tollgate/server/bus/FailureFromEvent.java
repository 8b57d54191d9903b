package org.tollgate.server.bus;

import org.tollgate.banner.jail.Failure;
import org.tollgate.normalizer.AsteriskEvent;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.normalizer.message.Finding;

/** The step from a normalized event to what a jail counts: only failures that name a source address. */
public final class FailureFromEvent {

    private FailureFromEvent() {
    }

    /** The failure {@code event} reports, or null when it is not a failure with a source address. */
    public static Failure of(AsteriskEvent event) {
        return of(event, null);
    }

    /** As {@link #of(AsteriskEvent)}, with where the source is ({@code geo}, or null when unknown). */
    public static Failure of(AsteriskEvent event, SourceGeo geo) {
        Finding finding = event.finding();
        if (finding == null || finding.source() == null || !finding.action().isFailure()) {
            return null;
        }
        return new Failure(event.timestamp(), finding.source().ip(), finding.actionName(), finding.sourceTrusted(),
                finding.userName(), geo, event.attemptId(), event.original());
    }
}
