package org.tollgate.server.adopt.patches;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tollgate.server.adopt.BundledFiles;

/**
 * The chan_sip source-address patches in {@code patches/}, each with the Asterisk releases its header lists as
 * verified (the GA tags it applies to; certified releases are left to the header itself). The headers are the one
 * place that says which file fits which release.
 */
final class ChanSipPatches {

    private static final String VERIFIED = "Verified tags";

    /** The releases each patch file applies to, by file name. */
    private final Map<String, List<AsteriskVersion>> releases;

    ChanSipPatches(Map<String, List<AsteriskVersion>> releases) {
        this.releases = releases;
    }

    /** The patches this build carries. */
    static ChanSipPatches bundled() {
        Map<String, List<AsteriskVersion>> releases = new LinkedHashMap<>();
        BundledFiles.read("patches", ".patch").forEach((name, text) -> releases.put(name, verifiedReleases(text)));
        return new ChanSipPatches(releases);
    }

    /** The GA releases listed after "Verified tags" in a patch header, up to "certified:" or the diff. */
    static List<AsteriskVersion> verifiedReleases(String text) {
        List<AsteriskVersion> versions = new ArrayList<>();
        boolean inList = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("--- ") || line.startsWith("diff ")) {
                break;
            }
            if (line.startsWith(VERIFIED)) {
                inList = true;
                continue;
            }
            if (!inList) {
                continue;
            }
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("certified") || !line.startsWith(" ")) {
                break;
            }
            for (String word : stripped.split("\\s+")) {
                AsteriskVersion version = AsteriskVersion.parse(word);
                if (version != null) {
                    versions.add(version);
                }
            }
        }
        return versions;
    }

    /** The patch files with at least one release in {@code range}, in name order. */
    List<String> candidates(VersionRange range) {
        List<String> names = new ArrayList<>();
        releases.forEach((name, versions) -> {
            if (versions.stream().anyMatch(range::contains)) {
                names.add(name);
            }
        });
        return names;
    }

    /** The first and last release a patch applies to, e.g. {@code 1.8.20.2–1.8.32.3}. */
    String span(String name) {
        List<AsteriskVersion> versions = releases.getOrDefault(name, List.of());
        if (versions.isEmpty()) {
            return "";
        }
        AsteriskVersion first = versions.stream().min(AsteriskVersion::compareTo).orElseThrow();
        AsteriskVersion last = versions.stream().max(AsteriskVersion::compareTo).orElseThrow();
        return first.equals(last) ? first.toString() : first + "–" + last;
    }

    int size() {
        return releases.size();
    }
}
