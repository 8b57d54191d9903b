package org.tollgate.banner.action;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tollgate.banner.jail.Ban;
import org.tollgate.normalizer.address.IpLiteral;

/**
 * The bans of one call, re-checked and split by family. Ban addresses come from log text an attacker wrote; the jail
 * already canonicalised them, and this is the last check before any of them reaches an argument list or a tool's
 * stdin. Anything that is not exactly one IP literal is refused here and never goes further.
 */
final class BanTargets {

    static final String NOT_A_LITERAL = "refused: not an IP literal";

    private final Map<Family, Map<String, Ban>> byFamily = new EnumMap<>(Family.class);
    private final Map<String, String> refused = new LinkedHashMap<>();

    private BanTargets() {
        for (Family family : Family.values()) {
            byFamily.put(family, new LinkedHashMap<>());
        }
    }

    static BanTargets of(Collection<Ban> bans) {
        BanTargets targets = new BanTargets();
        for (Ban ban : bans) {
            String ip = literal(ban.ip());
            if (ip == null) {
                targets.refused.put(ban.ip(), NOT_A_LITERAL);
                continue;
            }
            // The same address twice in one call: keep the ban that lasts longer.
            targets.byFamily.get(Family.of(ip)).merge(ip, ban, BanTargets::longer);
        }
        return targets;
    }

    /** Canonical text of {@code text} when it is exactly one IP literal, else {@code null}. */
    static String literal(String text) {
        return text == null ? null : IpLiteral.canonical(text);
    }

    private static Ban longer(Ban a, Ban b) {
        if (a.permanent()) {
            return a;
        }
        if (b.permanent()) {
            return b;
        }
        return b.end().isAfter(a.end()) ? b : a;
    }

    /** Canonical address to ban, in call order. */
    Map<String, Ban> of(Family family) {
        return Collections.unmodifiableMap(byFamily.get(family));
    }

    List<String> addresses(Family family) {
        return List.copyOf(byFamily.get(family).keySet());
    }

    /** The addresses of each family that has any, in call order. */
    Map<Family, List<String>> addressesByFamily() {
        Map<Family, List<String>> all = new EnumMap<>(Family.class);
        for (Family family : Family.values()) {
            if (!byFamily.get(family).isEmpty()) {
                all.put(family, addresses(family));
            }
        }
        return all;
    }

    List<String> addresses() {
        List<String> all = new ArrayList<>(addresses(Family.V4));
        all.addAll(addresses(Family.V6));
        return all;
    }

    boolean isEmpty() {
        return byFamily.get(Family.V4).isEmpty() && byFamily.get(Family.V6).isEmpty();
    }

    /** Raw address as given, mapped to why it was refused. */
    Map<String, String> refused() {
        return Collections.unmodifiableMap(refused);
    }

    /** What a firewall holds in force for one family, asked only for families the targets have addresses of. */
    @FunctionalInterface
    interface InForce {
        Set<String> addresses(Family family) throws ActionException;
    }

    /** The refused addresses, then each address that {@code inForce} does not hold, in call order. */
    Set<String> missing(InForce inForce) throws ActionException {
        Set<String> missing = new LinkedHashSet<>(refused.keySet());
        for (Family family : Family.values()) {
            List<String> ips = addresses(family);
            if (ips.isEmpty()) {
                continue;
            }
            Set<String> held = inForce.addresses(family);
            for (String ip : ips) {
                if (!held.contains(ip)) {
                    missing.add(ip);
                }
            }
        }
        return missing;
    }

    /** Which of {@code ips} {@code listing} holds: how actions answer for many addresses, from one listing. */
    static Set<String> inListing(Collection<String> ips, Set<String> listing) {
        Set<String> present = new HashSet<>();
        for (String ip : ips) {
            if (listing.contains(ip)) {
                present.add(ip);
            }
        }
        return present;
    }

    /** An outcome that already holds the refusals. */
    Outcome outcome() {
        Outcome outcome = new Outcome();
        refused.forEach(outcome::fail);
        return outcome;
    }

    /** Collects one call's results. */
    static final class Outcome {
        private final List<String> applied = new ArrayList<>();
        private final Map<String, String> failed = new LinkedHashMap<>();

        void apply(String ip) {
            applied.add(ip);
        }

        void fail(String ip, String reason) {
            failed.put(ip, reason);
        }

        /**
         * Records what the firewall lists after a call: each address is applied when its presence in {@code listed}
         * is what the call wanted ({@code wanted} true after a ban, false after an unban), and failed otherwise, with
         * the call's own {@code problem} or, when the call reported none, {@code unexpected}.
         */
        void record(Collection<String> ips, Set<String> listed, boolean wanted, String problem, String unexpected) {
            for (String ip : ips) {
                if (listed.contains(ip) == wanted) {
                    applied.add(ip);
                } else {
                    failed.put(ip, problem != null ? problem : unexpected);
                }
            }
        }

        /** One family's share of a call. */
        @FunctionalInterface
        interface FamilyStep {
            void run(Family family, List<String> ips) throws ActionException;
        }

        /** Runs {@code step} for each family that has addresses; a step that fails fails its addresses with the error. */
        void eachFamily(BanTargets targets, FamilyStep step) {
            for (Family family : Family.values()) {
                List<String> ips = targets.addresses(family);
                if (ips.isEmpty()) {
                    continue;
                }
                try {
                    step.run(family, ips);
                } catch (ActionException e) {
                    failAll(ips, e.getMessage());
                }
            }
        }

        /** Which of {@code ips} the firewall lists for {@code family}. */
        @FunctionalInterface
        interface Listing {
            Set<String> listed(Family family, List<String> ips) throws ActionException;
        }

        /**
         * {@link #record} for every family of {@code targets}, asking {@code listing} what the firewall holds; a family
         * whose listing fails fails all its addresses with that error, after the change's own {@code problem} when
         * there is one (the call that failed first is the one to name: a restore that exited 1 silently, say).
         */
        void verify(BanTargets targets, boolean wanted, String problem, Listing listing,
                    java.util.function.Function<Family, String> unexpected) {
            for (Family family : Family.values()) {
                List<String> ips = targets.addresses(family);
                if (ips.isEmpty()) {
                    continue;
                }
                try {
                    record(ips, listing.listed(family, ips), wanted, problem, unexpected.apply(family));
                } catch (ActionException e) {
                    failAll(ips, problem == null ? e.getMessage()
                            : problem + " (and the check after it: " + e.getMessage() + ")");
                }
            }
        }
        void failAll(Collection<String> ips, String reason) {
            for (String ip : ips) {
                failed.put(ip, reason);
            }
        }

        BanOutcome build() {
            return new BanOutcome(List.copyOf(applied), Collections.unmodifiableMap(new LinkedHashMap<>(failed)));
        }
    }
}
