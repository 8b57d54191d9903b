/**
 * Helpers the banner and server tests share; a test dependency only, never part of the runnable jar.
 *
 * <p>{@link org.tollgate.testkit.NetworkNamespace} and {@link org.tollgate.testkit.NamespacePair} are the labs of the
 * firewall integration tests: namespaces of their own, so that no test ever runs a firewall command on the host.
 * {@link org.tollgate.testkit.FakeClock} is the clock policy code is tested with.
 */
package org.tollgate.testkit;
