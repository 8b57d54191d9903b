package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tollgate.banner.action.Fixtures.ban;
import static org.tollgate.banner.action.Fixtures.settings;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/**
 * Every action refuses addresses that are not exactly one IP literal, before anything runs: the address text comes
 * from log lines an attacker wrote.
 */
class AddressRefusalTest {

    static final List<String> HOSTILE = List.of(
            "192.0.2.1; rm -rf /",
            "$(id)",
            "`id`",
            "192.0.2.1`id`",
            "192.0.2.1\n192.0.2.2",
            "192.0.2.1\nflush ruleset",
            "2001:db8::1 }; flush ruleset; {",
            "192.0.2.1 timeout 0",
            "example.com",
            "192.0.2.1/24",
            "192.0.2.01",
            "fe80::1%eth0",
            "-j ACCEPT",
            "--add-rich-rule=rule family=ipv4 accept",
            "192.0.2.1\" accept",
            " 192.0.2.1",
            "");

    static Stream<Arguments> actionsAndInputs() {
        List<Arguments> cases = new ArrayList<>();
        for (String type : ActionSettings.FIREWALL_TYPES) {
            for (String hostile : HOSTILE) {
                cases.add(Arguments.of(type, hostile));
            }
        }
        return cases.stream();
    }

    static Stream<String> types() {
        return ActionSettings.FIREWALL_TYPES.stream();
    }

    private static FirewallAction action(String type, RecordingRunner runner) {
        return FirewallActions.create(settings(type, Map.of()), runner, InstantSource.fixed(Fixtures.NOW));
    }

    private static RecordingRunner runner() {
        return new RecordingRunner().answering(command -> {
            if (command.contains("--get-default-zone")) {
                return RecordingRunner.ok("public\n");
            }
            if (command.get(0).equals("nft") && command.contains("list")) {
                return RecordingRunner.ok("{\"nftables\": []}");
            }
            return RecordingRunner.ok("");
        });
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @MethodSource("actionsAndInputs")
    void refusesNonLiteralWithoutRunningAnything(String type, String hostile) throws Exception {
        RecordingRunner runner = runner();
        FirewallAction action = action(type, runner);

        BanOutcome banned = action.ban(List.of(ban(hostile)));
        BanOutcome unbanned = action.unban(List.of(ban(hostile)));
        action.missing(List.of(ban(hostile)));

        assertThat(banned.applied()).isEmpty();
        assertThat(banned.failed()).containsOnlyKeys(hostile);
        assertThat(banned.failed().get(hostile)).contains("not an IP literal");
        assertThat(unbanned.applied()).isEmpty();
        assertThat(unbanned.failed()).containsOnlyKeys(hostile);
        assertThat(runner.calls()).as("commands run for %s", type).isEmpty();
    }

    @ParameterizedTest(name = "{0} passes only the literal on")
    @MethodSource("types")
    void passesOnlyTheLiteralOfAMixedBatch(String type) throws Exception {
        RecordingRunner runner = runner();
        FirewallAction action = action(type, runner);
        List<Ban> bans = new ArrayList<>();
        for (String hostile : HOSTILE) {
            bans.add(ban(hostile));
        }
        bans.add(ban("192.0.2.7"));

        BanOutcome banned = action.ban(bans);
        action.unban(bans);
        action.missing(bans);

        assertThat(banned.failed()).containsKeys(HOSTILE.toArray(String[]::new));
        for (RecordingRunner.Call call : runner.calls()) {
            String seen = call.everything();
            for (String fragment : List.of("192.0.2.1", "192.0.2.2", "rm -rf", "$(", "`", "example.com", "flush ruleset",
                    "ACCEPT", "%eth0", "192.0.2.01")) {
                assertThat(seen).as("%s in %s", fragment, call.command()).doesNotContain(fragment);
            }
        }
    }
}
