/**
 * Making the jails' decisions real, keeping them real, and carrying them across restarts: {@link
 * org.tollgate.banner.enforce.Enforcer} saves each ban, applies it through its jail's firewall actions, retries what
 * failed with a backoff, puts back what a firewall reload dropped, and lifts bans when they end.
 *
 * <p>Plain Java with an injected clock; the server calls it from a worker thread, never from the event loop, because
 * every method may run firewall tools.
 */
package org.tollgate.banner.enforce;
