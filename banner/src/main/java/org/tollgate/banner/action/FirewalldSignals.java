package org.tollgate.banner.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code dbus-monitor} output for the two firewalld events that drop runtime bans: its {@code Reloaded} signal
 * ({@code firewall-cmd --reload}, and any reload firewalld makes itself), and firewalld starting (the bus name
 * {@value #BUS_NAME} gets a new owner: a restart, or a start after a stop that cleaned up). dbus-monitor prints one
 * header line per message, then one indented line per argument:
 *
 * <pre>
 * signal time=1795254184.563320 sender=:1.3 -&gt; destination=(null destination) serial=1793 path=/org/fedoraproject/FirewallD1; interface=org.fedoraproject.FirewallD1; member=Reloaded
 * signal time=1795254184.035956 sender=org.freedesktop.DBus -&gt; destination=(null destination) serial=6 path=/org/freedesktop/DBus; interface=org.freedesktop.DBus; member=NameOwnerChanged
 *    string "org.fedoraproject.FirewallD1"
 *    string ""
 *    string ":1.3"
 * </pre>
 *
 * Older dbus-monitor versions write {@code dest=} and no {@code time=}; only the {@code path=}, {@code interface=}
 * and {@code member=} anchors are read, with the sender of the bus's own signal. A firewalld that stops (the name
 * loses its owner) is no reason: nothing can be put back until it runs again.
 */
final class FirewalldSignals implements FirewallMonitor.Parser {

    static final String BUS_NAME = "org.fedoraproject.FirewallD1";
    static final String RELOADED = "firewalld reloaded";
    static final String STARTED = "firewalld started";

    private static final String PATH = "/org/fedoraproject/FirewallD1";
    private static final String BUS = "org.freedesktop.DBus";
    private static final String ARGUMENT = "   string \"";

    /** The arguments of a NameOwnerChanged signal being read; null when not in one. */
    private List<String> ownerChange;

    /** {@code dbus-monitor} on the system bus, subscribed to exactly the two events. */
    static List<String> command() {
        return List.of("dbus-monitor", "--system",
                "type='signal',path='" + PATH + "',interface='" + BUS_NAME + "',member='Reloaded'",
                "type='signal',sender='" + BUS + "',interface='" + BUS + "',member='NameOwnerChanged',arg0='"
                        + BUS_NAME + "'");
    }

    @Override
    public Optional<String> read(String line) {
        if (line.startsWith("signal ")) {
            ownerChange = null;
            String path = between(line, " path=", "; interface=");
            String iface = between(line, "; interface=", "; member=");
            int member = line.indexOf("; member=");
            String name = member < 0 ? null : line.substring(member + "; member=".length());
            if (PATH.equals(path) && BUS_NAME.equals(iface) && "Reloaded".equals(name)) {
                return Optional.of(RELOADED);
            }
            if (BUS.equals(iface) && "NameOwnerChanged".equals(name) && line.contains(" sender=" + BUS + " ")) {
                ownerChange = new ArrayList<>(3);
            }
            return Optional.empty();
        }
        if (ownerChange == null) {
            return Optional.empty();
        }
        if (!line.startsWith(ARGUMENT) || !line.endsWith("\"") || line.length() < ARGUMENT.length() + 1) {
            ownerChange = null;
            return Optional.empty();
        }
        ownerChange.add(line.substring(ARGUMENT.length(), line.length() - 1));
        if (ownerChange.size() < 3) {
            return Optional.empty();
        }
        List<String> change = ownerChange;
        ownerChange = null;
        // name, old owner, new owner: a new owner is a firewalld that has just loaded its own rules, none of ours.
        return BUS_NAME.equals(change.get(0)) && !change.get(2).isEmpty() ? Optional.of(STARTED) : Optional.empty();
    }

    /** The text between {@code start} and the next {@code end}, or null when either is missing. */
    private static String between(String line, String start, String end) {
        int from = line.indexOf(start);
        if (from < 0) {
            return null;
        }
        from += start.length();
        int to = line.indexOf(end, from);
        return to < 0 ? null : line.substring(from, to);
    }
}
