package org.tollgate.banner.action;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.testkit.NamespacePair;
import org.tollgate.testkit.NetworkNamespace;

/**
 * The lab of a firewall action's integration test, registered as
 * {@code @RegisterExtension static final ActionLab lab = new ActionLab(tools…)}: the test kit's {@link NamespacePair},
 * made before the class's first test (skipped unless root, failed when a tool is missing) and deleted after its last,
 * and the action under test, torn down after each test. Every firewall command runs in the server namespace.
 */
final class ActionLab implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String[] tools;
    private NamespacePair pair;
    private FirewallAction action;

    ActionLab(String... tools) {
        this.tools = tools.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        pair = NamespacePair.create(tools);
    }

    @Override
    public void afterEach(ExtensionContext context) throws ActionException {
        tearDownAction();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (pair != null) {
            pair.close();
            pair = null;
        }
    }

    /** The namespace with the listener, where the firewall under test runs. */
    NetworkNamespace server() {
        return pair.server();
    }

    /** Runs firewall tools inside the server namespace. */
    CommandRunner runner() {
        return runner(List.of());
    }

    /** As {@link #runner()}, with {@code more} after {@code ip netns exec <server>}, such as {@code env VAR=value}. */
    CommandRunner runner(List<String> more) {
        return new CommandRunner(server().exec(more.toArray(String[]::new)), TIMEOUT);
    }

    /** The action under test, running its tools in the server namespace; torn down after the test. */
    FirewallAction action(String type, Map<String, String> params) {
        return action(type, params, runner());
    }

    /** As {@link #action(String, Map)}, with the tools run by {@code runner}. */
    FirewallAction action(String type, Map<String, String> params, CommandRunner runner) {
        action = FirewallActions.create(new ActionSettings(type, params, 0), runner);
        return action;
    }

    /** Tears down the action under test now, for a test that checks what is left after it. */
    void tearDownAction() throws ActionException {
        if (action != null) {
            FirewallAction done = action;
            action = null;
            done.tearDown();
        }
    }

    /** Runs {@code command} inside the server namespace and returns its stdout; fails the test when it fails. */
    String inServer(String... command) {
        return pair.inServer(command);
    }

    /** Asserts that datagrams from {@code attacker} reach the listener, allowing time for neighbour discovery. */
    void assertDeliveredFrom(String attacker) {
        pair.assertDeliveredFrom(attacker);
    }

    /** Asserts that none of three datagrams from {@code attacker} reaches the listener. */
    void assertDroppedFrom(String attacker) {
        pair.assertDroppedFrom(attacker);
    }
}
