package org.tollgate.banner.shield;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code shield} section of tollgate.yaml, validated: network protections applied in the kernel before a packet
 * reaches Asterisk, in a table (or chain) of their own, apart from the bans.
 *
 * @param enabled     off unless {@code enabled: true}
 * @param backend     {@code auto} (nftables when {@code nft} is there, else iptables), {@code nftables} or
 *                    {@code iptables}
 * @param name        the nftables table ({@code inet <name>}) or the iptables chain prefix
 * @param ports       the SIP ports (UDP and TCP) the rate limits and scanner drops apply to
 * @param protocols   {@code udp}, {@code tcp} or both
 * @param ladder      per-source limits of new SIP requests; a packet over any rung is dropped
 * @param log         whether drops are logged (rate-limited), to be read back as {@code shield-rate-limited} events
 * @param allow       files of addresses and CIDRs never limited, dropped or banned; null for none
 * @param block       files of addresses and CIDRs dropped on every port; null for none
 * @param methods     per-source limits of UDP datagrams that start with a SIP method, by method
 * @param userAgents  User-Agent strings whose packets are dropped (iptables' string match)
 */
public record ShieldSettings(boolean enabled, String backend, String name, List<Integer> ports,
                             List<String> protocols, List<Rung> ladder, boolean log, Path allow, Path block,
                             Map<String, Rung> methods, List<String> userAgents) {

    public static final String DEFAULT_NAME = "tollgate_shield";
    public static final List<Integer> DEFAULT_PORTS = List.of(5060, 5061);
    public static final List<String> PROTOCOLS = List.of("udp", "tcp");
    public static final List<String> BACKENDS = List.of("auto", "nftables", "iptables");
    /** The classic recipes' ladder: more than 3 in a minute, 5 in 3 minutes, ... 100 in an hour. */
    public static final List<Rung> DEFAULT_LADDER = List.of(new Rung(3, Duration.ofMinutes(1)),
            new Rung(5, Duration.ofMinutes(3)), new Rung(10, Duration.ofMinutes(5)),
            new Rung(20, Duration.ofMinutes(10)), new Rung(100, Duration.ofHours(1)));
    /** The SIP methods a datagram can be limited by (the payload starts with the method and a space). */
    public static final List<String> METHODS = List.of("REGISTER", "INVITE", "OPTIONS", "SUBSCRIBE", "NOTIFY",
            "MESSAGE", "PUBLISH", "INFO", "REFER", "ACK", "BYE", "CANCEL", "PRACK", "UPDATE");
    /** Scanners' User-Agents as they announce themselves. */
    public static final List<String> DEFAULT_USER_AGENTS = List.of("friendly-scanner", "sipvicious", "sipsak",
            "iWar", "sip-scan", "sipcli", "VaxSIPUserAgent", "SIPScan", "sundayddr", "PortSIP VoIP SDK");

    public static final ShieldSettings OFF = new ShieldSettings(false, "auto", DEFAULT_NAME, DEFAULT_PORTS, PROTOCOLS,
            DEFAULT_LADDER, true, null, null, Map.of(), List.of());

    public ShieldSettings {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(name, "name");
        ports = List.copyOf(ports);
        protocols = List.copyOf(protocols);
        ladder = List.copyOf(ladder);
        methods = Map.copyOf(methods);
        userAgents = List.copyOf(userAgents);
        if (!name.matches("[a-z][a-z0-9_]{0,23}")) {
            throw new IllegalArgumentException("shield name must be lower-case letters, digits and '_', starting with"
                    + " a letter, at most 24 characters, was '" + name + "'");
        }
    }

    /**
     * A per-source limit: more than {@code count} in {@code within} is over it. Enforced as a token bucket of
     * {@code count} refilled at {@code count} per {@code within}: a source may send {@code count} at once, then one
     * every {@code within / count}; after {@code within} of silence it may send {@code count} again.
     */
    public record Rung(int count, Duration within) {

        public Rung {
            if (count < 1 || count > 1_000_000) {
                throw new IllegalArgumentException("a limit's count must be from 1 to 1000000, was " + count);
            }
            if (within.getSeconds() < 1 || within.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("a limit's window must be from 1s to 7d, was " + within);
            }
        }

        /** Parses {@code 3/60s}, {@code 100/1h}. */
        public static Rung parse(String text, java.util.function.Function<String, Duration> durations) {
            int slash = text.indexOf('/');
            if (slash <= 0 || !text.substring(0, slash).matches("[0-9]{1,7}")) {
                throw new IllegalArgumentException("expected <count>/<window> such as 3/60s or 100/1h, was '" + text
                        + "'");
            }
            return new Rung(Integer.parseInt(text.substring(0, slash)), durations.apply(text.substring(slash + 1)));
        }

        /**
         * The refill rate as nftables and iptables' hashlimit take it, {@code <n>/<unit>}: the smallest unit
         * (second, minute, hour, day) in which the rate is a whole number, rounded up in days (a little stricter).
         */
        public String rate() {
            long seconds = within.getSeconds();
            String[] units = {"second", "minute", "hour", "day"};
            long[] lengths = {1, 60, 3600, 86_400};
            for (int i = 0; i < units.length; i++) {
                if (count * lengths[i] % seconds == 0 && count * lengths[i] / seconds >= 1) {
                    return count * lengths[i] / seconds + "/" + units[i];
                }
            }
            return Math.max(1, (count * 86_400L + seconds - 1) / seconds) + "/day";
        }

        /** As written in the configuration: {@code 3/60s}. */
        @Override
        public String toString() {
            return count + "/" + within.getSeconds() + "s";
        }
    }

    /** The method limit of {@code method} in upper case, or null. */
    public Rung methodLimit(String method) {
        return methods.get(method.toUpperCase(Locale.ROOT));
    }
}
