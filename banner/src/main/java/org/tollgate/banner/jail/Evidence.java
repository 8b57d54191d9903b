package org.tollgate.banner.jail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What led to a ban, for the alerts: the failures of the address inside findtime when the jail banned it, oldest
 * first, at most maxretry of them (fail2ban's {@code <matches>}), each with its log line.
 *
 * @param failures the failures, oldest first
 */
public record Evidence(List<Failure> failures) {

    /** No failures kept (a ban by hand, a recidive ban, or an address whose failures were forgotten). */
    public static final Evidence NONE = new Evidence(List.of());

    public Evidence {
        failures = List.copyOf(failures);
    }

    /** The log lines, oldest first; failures read without their line are left out. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>(failures.size());
        for (Failure failure : failures) {
            if (failure.line() != null) {
                lines.add(failure.line());
            }
        }
        return lines;
    }

    /** The user names tried, each once, in the order first tried. */
    public Set<String> users() {
        Set<String> users = new LinkedHashSet<>();
        for (Failure failure : failures) {
            if (failure.userName() != null) {
                users.add(failure.userName());
            }
        }
        return users;
    }

    /** What failed ({@code event.action} names), each once, in the order first seen. */
    public Set<String> actions() {
        Set<String> actions = new LinkedHashSet<>();
        for (Failure failure : failures) {
            actions.add(failure.action());
        }
        return actions;
    }
}
