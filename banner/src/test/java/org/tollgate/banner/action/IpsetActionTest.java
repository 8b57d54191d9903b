package org.tollgate.banner.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tollgate.banner.action.Fixtures.NOW;
import static org.tollgate.banner.action.Fixtures.ban;
import static org.tollgate.banner.action.Fixtures.permanent;
import static org.tollgate.banner.action.Fixtures.resource;
import static org.tollgate.banner.action.Fixtures.settings;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.jail.Ban;

class IpsetActionTest {

    private static final InstantSource TEN_MINUTES_IN = InstantSource.fixed(NOW.plus(Duration.ofMinutes(10)));

    private static IpsetAction action(Map<String, String> params, RecordingRunner runner) {
        return new IpsetAction(settings("ipset", params), runner, TEN_MINUTES_IN);
    }

    @Test
    void setUpCreatesBothSetsAndInsertsTheMissingRules() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> command.contains("-C")
                ? RecordingRunner.exit(1, "", "iptables: Bad rule (does a matching rule exist in that chain?).")
                : RecordingRunner.ok(""));

        action(Map.of(), runner).setUp();

        assertThat(runner.calls().get(0).command()).containsExactly("ipset", "restore", "-exist");
        assertThat(runner.calls().get(0).stdin()).isEqualTo(
                "create tollgate hash:ip family inet timeout 0 maxelem 65536\n"
                        + "create tollgate-v6 hash:ip family inet6 timeout 0 maxelem 65536\n");
        assertThat(runner.commands().subList(1, 5)).containsExactly(
                List.of("iptables", "-w", "-C", "INPUT", "-m", "set", "--match-set", "tollgate", "src", "-j", "DROP"),
                List.of("iptables", "-w", "-I", "INPUT", "1", "-m", "set", "--match-set", "tollgate", "src", "-j", "DROP"),
                List.of("ip6tables", "-w", "-C", "INPUT", "-m", "set", "--match-set", "tollgate-v6", "src", "-j", "DROP"),
                List.of("ip6tables", "-w", "-I", "INPUT", "1", "-m", "set", "--match-set", "tollgate-v6", "src", "-j",
                        "DROP"));
    }

    @Test
    void setUpLeavesAnExistingRuleAlone() throws Exception {
        RecordingRunner runner = new RecordingRunner();

        action(Map.of(), runner).setUp();

        assertThat(runner.commands()).noneMatch(command -> command.contains("-I"));
    }

    @Test
    void portsAndProtocolNarrowTheRule() {
        IpsetAction action = action(Map.of("set", "sip", "protocol", "udp", "port", "5060,5061", "blocktype", "reject",
                "chain", "TOLLGATE_IN"), new RecordingRunner());

        assertThat(action.iptables(Family.V4, "-C")).containsExactly("iptables", "-w", "-C", "TOLLGATE_IN", "-p", "udp",
                "-m", "multiport", "--dports", "5060,5061", "-m", "set", "--match-set", "sip", "src", "-j", "REJECT");
        assertThat(action.name()).isEqualTo("ipset:sip");
    }

    /** An ipset session's answers: an error for a test (nothing banned) and for a list, {@code list}; else nothing. */
    private static RecordingRunner sessionAnswering(Function<String, String> list) {
        return new RecordingRunner().withSession(line -> {
            String[] words = line.split(" ");
            return switch (words[0]) {
                case "test" -> "ipset v7.17: Element cannot be found: " + words[2] + " is NOT in set " + words[1] + ".\n";
                case "list" -> list.apply(words[1]);
                default -> "";
            };
        });
    }

    private static String terse(String set, int maxelem, int references) {
        return "Name: " + set + "\nType: hash:ip\nRevision: 6\nHeader: family inet hashsize 1024 maxelem " + maxelem
                + " timeout 0 bucketsize 12 initval 0x6a5c0e3f\nSize in memory: 200\nReferences: " + references
                + "\nNumber of entries: 0\n";
    }

    private static List<Ban> probes() {
        return List.of(ban("192.0.2.0", Duration.ofMinutes(1)), ban("2001:db8::", Duration.ofMinutes(1)));
    }

    @Test
    void theWarmUpOnlyAsksAboutTheSetsInUseAndRehearsesTheBanOnThrowawaySets() throws Exception {
        RecordingRunner runner = sessionAnswering(set -> terse(set, 65536, 1));

        action(Map.of(), runner).warmUp(probes());

        assertThat(runner.sessionLines()).hasSize(12);
        assertThat(runner.sessionLines().subList(0, 4)).containsExactly("list tollgate -terse",
                "test tollgate 192.0.2.0", "list tollgate-v6 -terse", "test tollgate-v6 2001:db8::");
        assertThat(runner.sessionLines().subList(4, 12)).satisfiesExactly(
                line -> assertThat(line).isEqualTo("create tollgate-w4 hash:ip family inet timeout 0 maxelem 1"),
                line -> assertThat(line).isEqualTo("create tollgate-w6 hash:ip family inet6 timeout 0 maxelem 1"),
                line -> assertThat(line).startsWith("add tollgate-w4 192.0.2.0 timeout ").endsWith(" -exist"),
                line -> assertThat(line).startsWith("add tollgate-w6 2001:db8:: timeout ").endsWith(" -exist"),
                line -> assertThat(line).isEqualTo("test tollgate-w4 192.0.2.0"),
                line -> assertThat(line).isEqualTo("test tollgate-w6 2001:db8::"),
                line -> assertThat(line).isEqualTo("destroy tollgate-w4"),
                line -> assertThat(line).isEqualTo("destroy tollgate-w6"));
        assertThat(runner.commands()).as("no process that could change the set").isEmpty();
    }

    @Test
    void aSetOfTheThrowawayNameThatIsNotAThrowawayOneIsLeftAlone() throws Exception {
        // Exists already: another size, or matched by a rule.
        RecordingRunner runner = new RecordingRunner().withSession(line -> line.startsWith("create ")
                ? "ipset v7.17: Set cannot be created: set with the same name already exists\n"
                : line.startsWith("list tollgate-w4") ? terse("tollgate-w4", 65536, 0)
                : line.startsWith("list tollgate-w6") ? terse("tollgate-w6", 1, 1)
                : line.startsWith("list ") ? terse(line.split(" ")[1], 65536, 1) : "");

        action(Map.of(), runner).warmUp(probes());

        assertThat(runner.sessionLines()).filteredOn(line -> line.contains("-w4") || line.contains("-w6"))
                .containsExactly("create tollgate-w4 hash:ip family inet timeout 0 maxelem 1", "list tollgate-w4 -terse",
                        "create tollgate-w6 hash:ip family inet6 timeout 0 maxelem 1", "list tollgate-w6 -terse");
    }

    @Test
    void aThrowawaySetLeftByAnInterruptedWarmUpIsUsedAndDestroyed() throws Exception {
        RecordingRunner runner = new RecordingRunner().withSession(line -> line.startsWith("create tollgate-w")
                ? "ipset v7.17: Set cannot be created: set with the same name already exists\n"
                : line.startsWith("list tollgate-w") ? terse(line.split(" ")[1], 1, 0)
                : line.startsWith("list ") ? terse(line.split(" ")[1], 65536, 1) : "");

        action(Map.of(), runner).warmUp(probes());

        assertThat(runner.sessionLines()).contains("destroy tollgate-w4", "destroy tollgate-w6")
                .anySatisfy(line -> assertThat(line).startsWith("add tollgate-w4 192.0.2.0 "));
    }

    @Test
    void banFeedsRemainingTimesAsKernelTimeouts() throws Exception {
        RecordingRunner runner = new RecordingRunner();
        List<Ban> bans = List.of(
                ban("192.0.2.7", Duration.ofHours(1)),
                permanent("2001:db8::7"),
                ban("198.51.100.7", Duration.ofMinutes(1)),
                ban("203.0.113.7", Duration.ofDays(100)),
                ban("2001:DB8:0:0::8", Duration.ofHours(1)));

        BanOutcome outcome = action(Map.of(), runner).ban(bans);

        assertThat(runner.calls().get(0).command()).containsExactly("ipset", "restore", "-exist");
        assertThat(runner.calls().get(0).stdin()).isEqualTo(
                "create tollgate hash:ip family inet timeout 0 maxelem 65536\n"
                        + "create tollgate-v6 hash:ip family inet6 timeout 0 maxelem 65536\n"
                        + "add tollgate 192.0.2.7 timeout 3000\n"
                        + "add tollgate 198.51.100.7 timeout 1\n"
                        + "add tollgate 203.0.113.7 timeout 2147483\n"
                        + "add tollgate-v6 2001:db8::7 timeout 0\n"
                        + "add tollgate-v6 2001:db8::8 timeout 3000\n");
        assertThat(runner.commands()).contains(List.of("ipset", "test", "tollgate", "192.0.2.7"),
                List.of("ipset", "test", "tollgate-v6", "2001:db8::8"));
        assertThat(outcome.applied()).containsExactlyInAnyOrder("192.0.2.7", "198.51.100.7", "203.0.113.7",
                "2001:db8::7", "2001:db8::8");
        assertThat(outcome.failed()).isEmpty();
    }

    @Test
    void anAddressTheTestDoesNotFindFails() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> command.contains("192.0.2.8")
                ? RecordingRunner.exit(1, "", "192.0.2.8 is NOT in set tollgate.")
                : RecordingRunner.ok(""));

        BanOutcome outcome = action(Map.of(), runner).ban(List.of(ban("192.0.2.7"), ban("192.0.2.8")));

        assertThat(outcome.applied()).containsExactly("192.0.2.7");
        assertThat(outcome.failed()).containsOnlyKeys("192.0.2.8");
    }

    @Test
    void aFewBansGoThroughTheSessionWithNoProcessForTheEntries() throws Exception {
        RecordingRunner runner = new RecordingRunner().withSession(line -> line.startsWith("test")
                ? "Warning: " + line.split(" ")[2] + " is in set " + line.split(" ")[1] + ".\n"
                : line.startsWith("list") ? terse(line.split(" ")[1], 1) : "");

        BanOutcome outcome = action(Map.of(), runner).ban(List.of(ban("192.0.2.7"), permanent("2001:db8::7")));

        assertThat(runner.sessionLines()).containsExactly(
                "add tollgate 192.0.2.7 timeout 3000 -exist",
                "add tollgate-v6 2001:db8::7 timeout 0 -exist",
                "list tollgate -terse",
                "test tollgate 192.0.2.7",
                "list tollgate-v6 -terse",
                "test tollgate-v6 2001:db8::7");
        assertThat(runner.commands()).as("no process at all: the rules are known by the sets' references").isEmpty();
        assertThat(outcome.applied()).containsExactlyInAnyOrder("192.0.2.7", "2001:db8::7");
    }

    @Test
    void aSetNoRuleReferencesHasItsRuleCheckedAndPutBack() throws Exception {
        RecordingRunner runner = new RecordingRunner()
                .withSession(line -> line.startsWith("test")
                        ? "Warning: " + line.split(" ")[2] + " is in set " + line.split(" ")[1] + ".\n"
                        : line.startsWith("list") ? terse(line.split(" ")[1], 0) : "")
                .answering(command -> command.contains("-C")
                        ? RecordingRunner.exit(1, "", "iptables: Bad rule (does a matching rule exist in that chain?).")
                        : RecordingRunner.ok(""));

        BanOutcome outcome = action(Map.of(), runner).ban(List.of(ban("192.0.2.7")));

        assertThat(runner.commands()).containsExactly(
                List.of("iptables", "-w", "-C", "INPUT", "-m", "set", "--match-set", "tollgate", "src", "-j", "DROP"),
                List.of("iptables", "-w", "-I", "INPUT", "1", "-m", "set", "--match-set", "tollgate", "src", "-j",
                        "DROP"));
        assertThat(outcome.applied()).containsExactly("192.0.2.7");
    }

    /** What {@code ipset list <set> -terse} answers, with {@code references} rules matching the set. */
    private static String terse(String set, int references) {
        return "Name: " + set + "\nType: hash:ip\nRevision: 6\nHeader: family inet hashsize 1024 maxelem 65536 timeout 0"
                + "\nSize in memory: 216\nReferences: " + references + "\nNumber of entries: 1\n";
    }

    @Test
    void whenTheSessionObjectsTheRestoreRunsAndCreatesTheSets() throws Exception {
        RecordingRunner runner = new RecordingRunner().withSession(line -> line.startsWith("add")
                ? "ipset v7.17: The set with the given name does not exist\n"
                : "192.0.2.7 is NOT in set tollgate.\n");

        BanOutcome outcome = action(Map.of(), runner).ban(List.of(ban("192.0.2.7")));

        assertThat(runner.calls().get(0).command()).containsExactly("ipset", "restore", "-exist");
        assertThat(runner.calls().get(0).stdin()).startsWith("create tollgate hash:ip")
                .endsWith("add tollgate 192.0.2.7 timeout 3000\n");
        assertThat(outcome.failed()).containsOnlyKeys("192.0.2.7");
    }

    @Test
    void aLargeBatchIsCheckedAgainstOneListing() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> command.contains("list")
                ? RecordingRunner.ok(resource("ipset-save-v4.txt"))
                : RecordingRunner.ok(""));
        List<Ban> bans = new ArrayList<>(List.of(ban("192.0.2.50"), ban("203.0.113.9")));
        for (int i = 1; i <= 20; i++) {
            bans.add(ban("198.51.100." + i));
        }

        BanOutcome outcome = action(Map.of(), runner).ban(bans);

        assertThat(runner.commands()).noneMatch(command -> command.contains("test"));
        assertThat(runner.commands()).contains(List.of("ipset", "list", "tollgate", "-output", "save"));
        assertThat(outcome.applied()).containsExactly("192.0.2.50", "203.0.113.9");
        assertThat(outcome.failed()).hasSize(20);
    }

    @Test
    void missingReadsTheSavedSets() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> {
            if (command.contains("tollgate-v6") && command.contains("list")) {
                return RecordingRunner.ok(resource("ipset-save-v6.txt"));
            }
            if (command.contains("list")) {
                return RecordingRunner.ok(resource("ipset-save-v4.txt"));
            }
            return RecordingRunner.ok("");
        });

        assertThat(action(Map.of(), runner).missing(List.of(ban("192.0.2.50"), ban("203.0.113.9"), ban("192.0.2.99"),
                ban("2001:db8::50"), ban("2001:db8::99")))).containsExactlyInAnyOrder("192.0.2.99", "2001:db8::99");
    }

    @Test
    void withoutItsRuleASetIsNotInForce() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> {
            if (command.get(0).equals("iptables") && command.contains("-C")) {
                return RecordingRunner.exit(1, "", "iptables: Bad rule (does a matching rule exist in that chain?).");
            }
            return command.contains("list") ? RecordingRunner.ok(resource("ipset-save-v4.txt")) : RecordingRunner.ok("");
        });

        assertThat(action(Map.of(), runner).missing(List.of(ban("192.0.2.50")))).containsExactly("192.0.2.50");
    }

    @Test
    void aMissingSetHoldsNothing() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> command.contains("list")
                ? RecordingRunner.exit(1, "", "ipset v7.17: The set with the given name does not exist")
                : RecordingRunner.ok(""));

        assertThat(action(Map.of(), runner).missing(List.of(ban("192.0.2.50")))).containsExactly("192.0.2.50");
    }

    @Test
    void unbanDeletesAndChecksTheEntriesAreGone() throws Exception {
        RecordingRunner runner = new RecordingRunner().answering(command -> command.contains("test")
                ? RecordingRunner.exit(1, "", "192.0.2.7 is NOT in set tollgate.")
                : RecordingRunner.ok(""));

        BanOutcome outcome = action(Map.of(), runner).unban(List.of(ban("192.0.2.7")));

        assertThat(runner.calls().get(0).stdin()).endsWith("del tollgate 192.0.2.7\n");
        assertThat(outcome.applied()).containsExactly("192.0.2.7");
    }

    @Test
    void parsesIpsetSaveOutput() {
        assertThat(IpsetAction.parseSave(resource("ipset-save-v4.txt"), "tollgate"))
                .containsExactlyInAnyOrder("192.0.2.50", "203.0.113.9");
        assertThat(IpsetAction.parseSave(resource("ipset-save-v6.txt"), "tollgate-v6")).containsExactly("2001:db8::50");
        assertThat(IpsetAction.parseSave(resource("ipset-save-v6.txt"), "tollgate")).isEmpty();
    }

    @Test
    void rejectsParametersThatCannotReachACommandLine() {
        assertThatThrownBy(() -> action(Map.of("set", "tollgate;reboot"), new RecordingRunner()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("actions.ipset.set: expected a name of at most 28 letters, digits, '_' or '-' starting with "
                        + "a letter, was 'tollgate;reboot' (tollgate.yaml line 14)");
        assertThatThrownBy(() -> action(Map.of("port", "5060"), new RecordingRunner()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("actions.ipset.port: needs protocol tcp, udp or sctp");
        assertThatThrownBy(() -> action(Map.of("protocol", "udp", "port", "5060 -j ACCEPT"), new RecordingRunner()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("was '5060 -j ACCEPT'");
        assertThatThrownBy(() -> action(Map.of("blocktype", "ACCEPT"), new RecordingRunner()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("actions.ipset.blocktype: expected one of DROP, REJECT, was 'ACCEPT' (tollgate.yaml line 14)");
        assertThatThrownBy(() -> action(Map.of("sett", "x"), new RecordingRunner()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("actions.ipset.sett: unknown parameter of the ipset action; known: blocktype, chain");
    }
}
