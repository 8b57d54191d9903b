package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.testkit.NamespacePair.ATTACKER4;
import static org.tollgate.testkit.NamespacePair.ATTACKER6;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.testkit.NamespacePair;
import org.tollgate.testkit.NetworkNamespace;

/**
 * The lab of a firewall action's integration test, registered as
 * {@code @RegisterExtension static final ActionLab lab = new ActionLab(tools…)}: the test kit's {@link NamespacePair},
 * made before the class's first test (skipped unless root, failed when a tool is missing) and deleted after its last,
 * and the action under test, torn down after each test. Every firewall command runs in the server namespace.
 */
final class ActionLab implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    /** A bantime that makes a ban permanent (kernel timeout 0). */
    static final Duration PERMANENT = Duration.ofSeconds(-1);

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

    /** A ban of {@code ip} in jail sip-auth from now, lasting {@code bantime} ({@link #PERMANENT} for ever). */
    static Ban ban(String ip, Duration bantime) {
        return Ban.lasting(ip, "sip-auth", Instant.now(), bantime, 5, 1);
    }

    /** One-hour bans of both the attacker's addresses. */
    static List<Ban> attacker() {
        return List.of(ban(ATTACKER4, Duration.ofHours(1)), ban(ATTACKER6, Duration.ofHours(1)));
    }

    /** A one-hour ban of the attacker's IPv4 address and a permanent one of its IPv6 address. */
    static List<Ban> attackerWithPermanentIpv6() {
        return List.of(ban(ATTACKER4, Duration.ofHours(1)), ban(ATTACKER6, PERMANENT));
    }

    /** Bans {@code bans}, the attacker's two addresses, and asserts both applied and the attacker's datagrams dropped. */
    void banAndAssertDropped(FirewallAction action, List<Ban> bans) throws ActionException {
        BanOutcome banned = action.ban(bans);
        assertThat(banned.applied()).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        assertThat(banned.failed()).isEmpty();
        assertDroppedFrom(ATTACKER4);
        assertDroppedFrom(ATTACKER6);
    }

    /** Bans {@code bans}, the attacker's two addresses, a second time: both applied again, and none missing. */
    void banAgainAndAssertNoneMissing(FirewallAction action, List<Ban> bans) throws ActionException {
        assertThat(action.ban(bans).applied()).as("banning twice").containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        assertThat(action.missing(bans)).isEmpty();
    }

    /**
     * Unbans {@code bans}, the attacker's two addresses, and asserts that the unban holds: both applied, the
     * attacker's datagrams delivered again, both missing, and unbanning them again applies them again.
     */
    void unbanAndAssertDelivered(FirewallAction action, List<Ban> bans) throws ActionException {
        assertThat(action.unban(bans).applied()).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        assertDeliveredFrom(ATTACKER4);
        assertDeliveredFrom(ATTACKER6);
        assertThat(action.missing(bans)).containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
        assertThat(action.unban(bans).applied()).as("unbanning twice").containsExactlyInAnyOrder(ATTACKER4, ATTACKER6);
    }
}
