package org.tollgate.server.adopt.fail2ban;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of a filter's regular expressions ({@code prefregex}, a {@code failregex} or an {@code ignoreregex}) with
 * fail2ban's tags expanded as {@code failregex.py} expands them, then rewritten for Java ({@link PythonRegex}) and
 * compiled once.
 *
 * <p>Tags: {@code <HOST>} and {@code <ADDR>} (an IPv4 or IPv6 address, bracketed or not, as fail2ban with
 * {@code usedns = no}: Tollgate never resolves a name), {@code <IP4>}, {@code <IP6>}, {@code <CIDR>},
 * {@code <SUBNET>}, {@code <DNS>}, {@code <F-ID/>}, {@code <F-PORT/>}, and {@code <F-NAME>…</F-NAME>} for a group
 * named {@code name} ({@code <F-USER>} is the user tried, {@code <F-CONTENT>} what a prefregex hands on, {@code
 * <F-ALT_USER1>} another place for the user). Refused: {@code <SKIPLINES>} and {@code <F-MLFID>} (multi-line
 * failures: Tollgate reads one line at a time).
 */
final class FailRegex {

    private static final Pattern TAG = Pattern.compile("</?[\\w\\-]+/?>");
    private static final Pattern CUSTOM_TAG = Pattern.compile("^(/?)F-([A-Z0-9_\\-]+)$");
    private static final String IP4 = "(?:::f{4,6}:)?(?P<ip4>(?:\\d{1,3}\\.){3}\\d{1,3})";
    private static final String IP6 = "(?P<ip6>(?:[0-9a-fA-F]{1,4}::?|:){1,7}(?:[0-9a-fA-F]{1,4}|(?<=:):))";
    private static final String DNS = "(?P<dns>[\\w\\-.^_]*\\w)";
    private static final String ADDR = "\\[?(?:" + IP4 + "|" + IP6 + ")\\]?";
    private static final String CIDR = "(?P<cidr>\\d+)";
    private static final String SUBNET = "\\[?(?:" + IP4 + "|" + IP6 + ")(?:/" + CIDR + ")?\\]?";
    private static final Map<String, String> STATIC_TAGS = Map.ofEntries(
            Map.entry("HOST", ADDR), Map.entry("ADDR", ADDR), Map.entry("F-ADDR/", ADDR),
            Map.entry("IP4", IP4), Map.entry("F-IP4/", IP4), Map.entry("IP6", IP6), Map.entry("F-IP6/", IP6),
            Map.entry("CIDR", CIDR), Map.entry("F-CIDR/", CIDR), Map.entry("SUBNET", SUBNET),
            Map.entry("F-SUBNET/", SUBNET), Map.entry("DNS", DNS), Map.entry("F-DNS/", DNS),
            Map.entry("F-ID/", "(?P<fid>\\S+)"), Map.entry("F-PORT/", "(?P<fport>\\w+)"));
    private static final String ALT_USER = "alt_user";

    private final String written;
    private final Pattern pattern;
    private final boolean anchored;
    private final String ip4;
    private final String ip6;
    private final String fid;
    private final String user;
    private final String[] altUsers;
    private final String content;
    private final String nofail;

    private FailRegex(String written, PythonRegex regex) {
        this.written = written;
        this.pattern = regex.compile();
        this.anchored = Anchors.atStart(pattern.pattern());
        this.ip4 = regex.group("ip4");
        this.ip6 = regex.group("ip6");
        this.fid = regex.group("fid");
        this.user = regex.group("user");
        this.altUsers = regex.groups().keySet().stream().filter(name -> name.startsWith(ALT_USER)).sorted()
                .map(regex::group).toArray(String[]::new);
        this.content = regex.group("content");
        this.nofail = regex.group("nofail");
    }

    /**
     * Expands and compiles {@code fail2banRegex}.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static FailRegex compile(String fail2banRegex) {
        if (fail2banRegex.isBlank()) {
            throw new IllegalArgumentException("an empty expression");
        }
        String expanded = expandTags(fail2banRegex);
        PythonRegex regex = PythonRegex.of(expanded);
        if (regex.group("mlfid") != null || regex.groups().keySet().stream().anyMatch(g -> g.startsWith("mlf"))) {
            throw new IllegalArgumentException("<F-MLFID> and the other multi-line failure tags are not supported:"
                    + " Tollgate reads one line at a time");
        }
        return new FailRegex(fail2banRegex, regex);
    }

    /** fail2ban's {@code Regex._resolveHostTag}: tags to groups; an unknown tag stays as written. */
    static String expandTags(String regex) {
        Map<String, Boolean> open = new HashMap<>();
        Matcher tags = TAG.matcher(regex);
        StringBuilder out = new StringBuilder(regex.length() + 64);
        while (tags.find()) {
            String tag = tags.group();
            String name = tag.substring(1, tag.length() - 1);
            String replacement = STATIC_TAGS.get(name);
            if (name.equals("SKIPLINES")) {
                throw new IllegalArgumentException("<SKIPLINES> (a multi-line failure) is not supported: Tollgate"
                        + " reads one line at a time");
            }
            if (replacement == null) {
                Matcher custom = CUSTOM_TAG.matcher(name);
                if (custom.matches()) {
                    String group = custom.group(2);
                    if (custom.group(1).isEmpty()) {
                        open.put(group, true);
                        replacement = "(?P<" + groupName(group) + ">";
                    } else {
                        replacement = open.containsKey(group) ? ")" : tag;
                    }
                } else {
                    replacement = tag;
                }
            }
            tags.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        tags.appendTail(out);
        return out.toString();
    }

    /** fail2ban's {@code mapTag2Opt}: lower case, {@code id} and {@code port} renamed. */
    private static String groupName(String tag) {
        String lower = tag.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "id" -> "fid";
            case "port" -> "fport";
            default -> lower;
        };
    }

    /** The expression as the filter wrote it, tags and all. */
    String written() {
        return written;
    }

    Pattern pattern() {
        return pattern;
    }

    /** A matcher of {@code text} that has found this expression in it, or null. */
    Matcher search(CharSequence text) {
        Matcher match = pattern.matcher(text);
        return (anchored ? match.lookingAt() : match.find()) ? match : null;
    }

    /** True when the expression has a group that names what failed: an address ({@code <HOST>}) or an id. */
    boolean hasFailureId() {
        return ip4 != null || ip6 != null || fid != null;
    }

    /** The address a match names ({@code ip4}, then {@code ip6}), or null. */
    String address(Matcher match) {
        String ip = get(match, ip4);
        return ip != null ? ip : get(match, ip6);
    }

    /** The failure id ({@code <F-ID/>}), or null. */
    String failureId(Matcher match) {
        return get(match, fid);
    }

    /** The user a match names ({@code <F-USER>}, else the first {@code <F-ALT_USER…>} that matched), or null. */
    String user(Matcher match) {
        String found = get(match, user);
        for (int i = 0; found == null && i < altUsers.length; i++) {
            found = get(match, altUsers[i]);
        }
        return found;
    }

    /** What a prefregex hands on ({@code <F-CONTENT>}), or null. */
    String content(Matcher match) {
        return get(match, content);
    }

    /** True when the match says "no failure" ({@code <F-NOFAIL>} matched). */
    boolean noFailure(Matcher match) {
        return get(match, nofail) != null;
    }

    private static String get(Matcher match, String group) {
        return group == null ? null : match.group(group);
    }
}
