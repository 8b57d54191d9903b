package org.tollgate.server.adopt.fail2ban;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import carries over from fail2ban, in tollgate.yaml's terms, with a note for everything it could not
 * carry and why. {@link ImportedYaml} writes it out.
 *
 * @param directory the fail2ban directory read
 * @param files     the files read, in fail2ban's order
 * @param sources   where the imported jails' lines come from
 * @param jails     the Asterisk jails (and a recidive jail), in the order fail2ban has them
 * @param leftOut   the jails left out, each with why
 * @param notes     remarks on the whole configuration
 */
public record ImportedConfig(String directory, List<String> files, List<Source> sources, List<Jail> jails,
                             List<LeftOut> leftOut, List<String> notes) {

    /** A source of lines: {@code file} (path, start) or {@code journald} (unit). */
    public static final class Source {
        final String type;
        final String target;
        String start;
        String zone;
        boolean patched;
        final List<String> notes = new ArrayList<>();

        Source(String type, String target) {
            this.type = type;
            this.target = target;
        }

        public String type() {
            return type;
        }

        /** The path (file) or the unit (journald). */
        public String target() {
            return target;
        }

        public String start() {
            return start;
        }

        public String zone() {
            return zone;
        }

        public boolean patched() {
            return patched;
        }

        public List<String> notes() {
            return notes;
        }
    }

    /** One jail. Null fields are left to Tollgate's defaults (which are fail2ban's). */
    public static final class Jail {
        final String name;
        final String fail2banName;
        boolean enabled;
        boolean recidive;
        Integer maxretry;
        Duration findtime;
        Duration bantime;
        final Map<String, Object> increment = new LinkedHashMap<>();
        final List<String> ignoreip = new ArrayList<>();
        Boolean ignoreself;
        final List<Action> actions = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        Jail(String name, String fail2banName) {
            this.name = name;
            this.fail2banName = fail2banName;
        }

        public String name() {
            return name;
        }

        public String fail2banName() {
            return fail2banName;
        }

        public boolean enabled() {
            return enabled;
        }

        public boolean recidive() {
            return recidive;
        }

        public List<Action> actions() {
            return actions;
        }

        public List<String> notes() {
            return notes;
        }

        public List<String> ignoreip() {
            return ignoreip;
        }
    }

    /**
     * A Tollgate action. {@code live} false: written as a comment (a type this version does not run yet).
     *
     * @param type   the action type
     * @param params its parameters in order
     * @param notes  what was not carried over from the fail2ban action
     * @param live   written as YAML (true) or as a comment (false)
     * @param from   the fail2ban action it comes from, for the comment above it
     */
    public record Action(String type, Map<String, String> params, List<String> notes, boolean live, String from) {
    }

    /** A jail not imported: its name, whether fail2ban runs it, and why. */
    public record LeftOut(String name, boolean enabled, String reason) {
    }
}
