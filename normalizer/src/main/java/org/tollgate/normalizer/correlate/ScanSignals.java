package org.tollgate.normalizer.correlate;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.tollgate.normalizer.message.AddressOrigin;
import org.tollgate.normalizer.message.EventAction;
import org.tollgate.normalizer.message.Finding;

/**
 * Scanning seen across lines, as events of its own: what a scanner does is often no failure at all, or one a jail
 * counts no faster than a user's typos.
 *
 * <ul>
 *   <li>{@code scan-challenge-flood}: challenges sent to many accounts from one address, none of which then logged in.
 *   With {@code alwaysauthreject} (chan_sip's default from 1.8) a scanner's REGISTER for an unknown user is
 *   challenged like any other and, if it never answers, leaves only {@code ChallengeSent} in the security log;
 *   res_pjsip challenges unknown users as {@code <unknown>}.</li>
 *   <li>{@code scan-user-enumeration}: failures naming many distinct users from one address.</li>
 *   <li>{@code scan-options-sweep}: many failed OPTIONS requests from one address (an extension sweep by OPTIONS).</li>
 * </ul>
 *
 * <p>Each is counted per address over a window of {@link #WINDOW_MILLIS} from its first event (log time) and said
 * once per window; addresses taken from headers are not counted. Bounded: at most {@link #CAPACITY} addresses, the least recently
 * seen forgotten, each holding at most a threshold's worth of names.
 */
public final class ScanSignals {

    public static final long WINDOW_MILLIS = 60_000;
    public static final int CAPACITY = 4096;
    /** Distinct accounts challenged without a login that make a flood. */
    public static final int CHALLENGED_ACCOUNTS = 10;
    /** Challenges to res_pjsip's {@code <unknown>} account that make a flood. */
    public static final int UNKNOWN_CHALLENGES = 20;
    /** Distinct user names in failures that make an enumeration. */
    public static final int USERS = 10;
    /** Failed OPTIONS requests that make a sweep. */
    public static final int OPTIONS = 10;

    private static final String UNKNOWN_ACCOUNT = "<unknown>";

    private final Map<String, Address> addresses = new LruMap<>(CAPACITY);

    /** One address's counts in its current window. */
    private static final class Address {
        long windowStart;
        final Set<String> challenged = new HashSet<>();
        final Set<String> loggedIn = new HashSet<>();
        int unknownChallenges;
        final Set<String> users = new HashSet<>();
        int options;
        boolean floodSaid;
        boolean enumerationSaid;
        boolean sweepSaid;

        /** An address first seen at {@code at}: its first window starts there. */
        Address(long at) {
            windowStart = at;
        }

        void restart(long at) {
            windowStart = at;
            challenged.clear();
            loggedIn.clear();
            unknownChallenges = 0;
            users.clear();
            options = 0;
            floodSaid = enumerationSaid = sweepSaid = false;
        }
    }

    /**
     * The scan {@code finding}, logged at {@code at}, makes evident now, or null. Addresses are counted apart by trust:
     * a signal is as trusted as the events it comes from (chan_sip's security events name {@code p->sa}, which the
     * sender's Via sets, so a chan_sip challenge flood is said but never trusted).
     */
    public Finding observe(Finding finding, Instant at) {
        if (finding.source() == null || finding.origin() == AddressOrigin.HEADER) {
            return null;
        }
        String key = finding.sourceTrusted() ? finding.source().ip() : finding.source().ip() + " untrusted";
        long millis = at.toEpochMilli();
        Address address = addresses.get(key);
        if (address == null) {
            address = new Address(millis);
            addresses.put(key, address);
        } else if (millis - address.windowStart > WINDOW_MILLIS || millis < address.windowStart) {
            address.restart(millis);
        }
        String user = finding.userName();
        EventAction action = finding.action();
        if (action == EventAction.SECURITY_SUCCESSFUL_AUTH && user != null) {
            address.loggedIn.add(user);
            address.challenged.remove(user);
        } else if (action == EventAction.SECURITY_CHALLENGE_SENT && user != null) {
            if (user.equals(UNKNOWN_ACCOUNT)) {
                address.unknownChallenges++;
            } else if (!address.loggedIn.contains(user) && address.challenged.size() < CHALLENGED_ACCOUNTS) {
                address.challenged.add(user);
            }
            if (!address.floodSaid && (address.challenged.size() >= CHALLENGED_ACCOUNTS
                    || address.unknownChallenges >= UNKNOWN_CHALLENGES)) {
                address.floodSaid = true;
                return signal(EventAction.SCAN_CHALLENGE_FLOOD, finding, address.challenged.size() >= CHALLENGED_ACCOUNTS
                        ? "challenges to " + CHALLENGED_ACCOUNTS + " accounts, none logged in, within 60 s"
                        : "challenges to " + UNKNOWN_CHALLENGES + " unknown accounts within 60 s",
                        Math.max(address.challenged.size(), address.unknownChallenges));
            }
        } else if (action.isFailure()) {
            if (user != null && !user.equals(UNKNOWN_ACCOUNT) && address.users.size() < USERS) {
                address.users.add(user);
            }
            if ("OPTIONS".equals(finding.sipMethod())) {
                address.options++;
            }
            if (!address.enumerationSaid && address.users.size() >= USERS) {
                address.enumerationSaid = true;
                return signal(EventAction.SCAN_USER_ENUMERATION, finding,
                        "failures for " + USERS + " user names within 60 s", USERS);
            }
            if (!address.sweepSaid && address.options >= OPTIONS) {
                address.sweepSaid = true;
                return signal(EventAction.SCAN_OPTIONS_SWEEP, finding, OPTIONS + " failed OPTIONS within 60 s", OPTIONS);
            }
        }
        return null;
    }

    private static Finding signal(EventAction action, Finding from, String reason, int count) {
        return Finding.of(action, "tollgate")
                .reason(reason)
                .source(from.source(), from.origin())
                .trusted(from.sourceTrusted())
                .service(from.service())
                .attempts(count)
                .build();
    }
}
