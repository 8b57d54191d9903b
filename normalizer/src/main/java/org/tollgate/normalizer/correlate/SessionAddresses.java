package org.tollgate.normalizer.correlate;

import java.util.List;
import org.tollgate.normalizer.message.Finding;
import org.tollgate.normalizer.message.SourceProblem;

/**
 * The transport address each recent session (a SIP Call-ID, a security-log SessionID) was seen from, learnt from lines
 * that named it without doubt, to settle a line the sender made read two ways: of its readings, the one whose session
 * and address an earlier line showed together is the real one. Only trusted, unambiguous findings teach it, so a
 * sender can only ever point it at an address he sends from. Bounded: the least recently used sessions are forgotten.
 */
public final class SessionAddresses {

    /** Sessions remembered at most. Sessions are per service: res_pjsip's Call-IDs whether the line came from the
     * distributor or the security log. */
    public static final int CAPACITY = 4096;

    /** A session (service and Call-ID or SessionID) and the address it was seen from. */
    private static final class Session extends NameTable.Entry {
        String ip;

        @Override
        void reset() {
            ip = null;
        }
    }

    private final NameTable<Session> addressBySession;

    public SessionAddresses() {
        this(CAPACITY);
    }

    /** With room for {@code capacity} sessions: small for the tests that show the least recently used is forgotten. */
    SessionAddresses(int capacity) {
        addressBySession = new NameTable<>(capacity, Session::new);
    }

    /** Learns from {@code finding} when it names a session and a trusted address. */
    public void learn(Finding finding) {
        if (finding.sessionId() != null && finding.source() != null && finding.sourceTrusted()) {
            addressBySession.entry(Attempts.service(finding), finding.sessionId(), null).ip = finding.source().ip();
        }
    }

    /**
     * {@code finding} read the one way an earlier line confirms, when it is ambiguous and exactly one of its readings
     * has a session known from that reading's address; otherwise {@code finding} as it is.
     */
    public Finding settle(Finding finding) {
        if (finding.sourceProblem() != SourceProblem.AMBIGUOUS) {
            return finding;
        }
        Finding.Alternative confirmed = null;
        List<Finding.Alternative> alternatives = finding.alternatives();
        for (Finding.Alternative alternative : alternatives) {
            if (alternative.source() == null || alternative.sessionId() == null) {
                continue;
            }
            Session session = addressBySession.find(Attempts.service(finding), alternative.sessionId());
            String seen = session == null ? null : session.ip;
            if (alternative.source().ip().equals(seen)) {
                if (confirmed != null && !confirmed.source().ip().equals(seen)) {
                    return finding;
                }
                confirmed = alternative;
            }
        }
        return confirmed == null ? finding : finding.resolvedAs(confirmed, finding.origin());
    }
}
