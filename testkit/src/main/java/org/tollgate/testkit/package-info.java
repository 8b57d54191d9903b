/**
 * Helpers the normalizer, banner and server tests share; a test dependency only, never part of the runnable jar.
 *
 * <p>{@link org.tollgate.testkit.NetworkNamespace} and {@link org.tollgate.testkit.NamespacePair} are the labs of the
 * firewall integration tests: namespaces of their own, so that no test ever runs a firewall command on the host.
 * {@link org.tollgate.testkit.FakeClock} is the clock policy code is tested with; {@link org.tollgate.testkit.Waits}
 * waits on conditions, never on the clock. {@link org.tollgate.testkit.OverlongLines} are failure lines longer than
 * any reader keeps; {@link org.tollgate.testkit.Chromium} shows a page as a browser leaves it.
 */
package org.tollgate.testkit;
