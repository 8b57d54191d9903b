/**
 * Making the jails' decisions real, keeping them real, and carrying them across restarts: {@link
 * org.tollgate.banner.enforce.Enforcer}, a short facade, saves each ban, applies it through its jail's firewall
 * actions, retries what failed with a backoff, puts back what a firewall reload dropped, and lifts bans when they
 * end. Its state is the {@link org.tollgate.banner.enforce.BanLedger} (pure, time given); its only I/O is the
 * {@link org.tollgate.banner.enforce.ActionRound}.
 *
 * <p>Plain Java with an injected clock; the server calls the changing methods from one worker thread, never from the
 * event loop, because they run firewall tools. The status is a published snapshot that any thread reads without
 * waiting.
 */
package org.tollgate.banner.enforce;
