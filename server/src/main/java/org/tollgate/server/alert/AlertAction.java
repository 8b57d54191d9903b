package org.tollgate.server.alert;

import io.vertx.core.Future;

/**
 * Something told of each ban of the jails that list it: a mail, a webhook. Unlike a firewall action it keeps no
 * state about the bans (nothing to verify or reconcile); a failure to tell is retried, counted and logged, and never
 * touches banning. Called on its verticle's event loop only.
 */
interface AlertAction {

    /** Takes the ban, to tell of it now or soon; never blocks. */
    void offer(BanNotice ban);

    /** What it did so far. */
    AlertCounters counters();

    /** Stops: timers cancelled, connections closed; bans still waiting are left (and logged) . */
    Future<Void> close();
}
