package org.tollgate.server.adopt.fail2ban;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.server.adopt.fail2ban.Fail2banFixtures.Loaded;
import org.tollgate.server.config.SourceSettings;

/**
 * Debian's fail2ban package as shipped: its jail.conf and paths-debian.conf (with the paths-common.conf it includes,
 * and the package's action.d and filter.d), not a copy written for the tests. Taken from the package's .deb in
 * apt's cache when it is there, otherwise from /etc/fail2ban after checking each file against the checksums dpkg
 * keeps for the package's configuration files; skipped, saying why, when fail2ban is not installed or its files
 * were changed.
 */
class DebianPackagedImportTest {

    private static final List<String> FILES = List.of("jail.conf", "paths-debian.conf", "paths-common.conf");

    @TempDir
    Path dir;

    @Test
    void thePackagedJailConfImportsItsDisabledAsteriskAndRecidiveJails() throws Exception {
        Path packaged = pristinePackage();
        for (String file : FILES) {
            Files.copy(packaged.resolve(file), dir.resolve(file));
        }
        Fail2banFixtures.copyTree(packaged.resolve("action.d"), dir.resolve("action.d"));
        Fail2banFixtures.copyTree(packaged.resolve("filter.d"), dir.resolve("filter.d"));

        ImportedConfig imported = Fail2banImport.read(dir);
        Loaded loaded = Fail2banFixtures.load(ImportedYaml.render(imported));

        JailSettings asterisk = loaded.jail("asterisk");
        assertThat(asterisk.enabled()).isFalse();
        assertThat(asterisk.maxretry()).isEqualTo(10);
        assertThat(asterisk.findtime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(asterisk.bantime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(asterisk.actions()).extracting(Fail2banFixtures::params).containsExactly(
                Map.of("type", "iptables-allports", "name", "asterisk-tcp", "protocol", "tcp", "blocktype", "REJECT"),
                Map.of("type", "iptables-allports", "name", "asterisk-udp", "protocol", "udp", "blocktype", "REJECT"));

        JailSettings recidive = loaded.jail("recidive");
        assertThat(recidive.enabled()).isFalse();
        assertThat(recidive.source()).isEqualTo(JailSettings.Source.BANS);
        assertThat(recidive.bantime()).isEqualTo(Duration.ofDays(7));
        assertThat(recidive.findtime()).isEqualTo(Duration.ofDays(1));
        assertThat(recidive.actions()).extracting(Fail2banFixtures::params).containsExactly(
                Map.of("type", "iptables-allports", "name", "recidive", "protocol", "tcp", "blocktype", "REJECT"));

        assertThat(loaded.jails()).containsOnlyKeys("asterisk", "recidive");
        SourceSettings.FileSource source = loaded.file();
        assertThat(source.type()).isEqualTo(SourceSettings.FILE);
        assertThat(source.path()).isEqualTo("/var/log/asterisk/messages");
        assertThat(imported.files()).extracting(f -> Path.of(f).getFileName().toString())
                .containsExactly("paths-common.conf", "paths-debian.conf", "jail.conf");
        assertThat(imported.leftOut()).extracting(ImportedConfig.LeftOut::name).contains("sshd", "freeswitch")
                .doesNotContain("asterisk", "recidive");
        assertThat(imported.leftOut()).noneMatch(ImportedConfig.LeftOut::enabled);
    }

    /** The package's /etc/fail2ban as shipped, or the test is skipped. */
    private Path pristinePackage() throws Exception {
        String version = run("dpkg-query", "-W", "-f=${Version}", "fail2ban");
        assumeTrue(version != null && !version.isBlank(),
                "fail2ban is not installed (Debian: apt-get install fail2ban; .ci/run installs it)");
        Path deb = cachedDeb(version);
        if (deb != null) {
            Path unpacked = dir.resolve("deb");
            if (run("dpkg-deb", "-x", deb.toString(), unpacked.toString()) != null) {
                return unpacked.resolve("etc/fail2ban");
            }
        }
        Map<String, String> sums = conffileSums();
        Path etc = Path.of("/etc/fail2ban");
        for (String file : FILES) {
            String expected = sums.get(etc.resolve(file).toString());
            assumeTrue(expected != null && expected.equals(md5(etc.resolve(file))),
                    "/etc/fail2ban/" + file + " differs from the one the package shipped, and apt's cache has no"
                            + " fail2ban .deb to take it from");
        }
        return etc;
    }

    private static Path cachedDeb(String version) throws IOException {
        Path cache = Path.of("/var/cache/apt/archives");
        if (!Files.isDirectory(cache)) {
            return null;
        }
        String wanted = "fail2ban_" + version.replace(":", "%3a") + "_";
        try (DirectoryStream<Path> debs = Files.newDirectoryStream(cache, "fail2ban_*.deb")) {
            for (Path deb : debs) {
                if (deb.getFileName().toString().startsWith(wanted)) {
                    return deb;
                }
            }
        }
        return null;
    }

    private static Map<String, String> conffileSums() throws Exception {
        Map<String, String> sums = new HashMap<>();
        String listing = run("dpkg-query", "-W", "-f=${Conffiles}", "fail2ban");
        if (listing != null) {
            for (String line : listing.split("\n")) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length >= 2) {
                    sums.put(parts[0], parts[1]);
                }
            }
        }
        return sums;
    }

    private static String md5(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }

    /** The command's stdout when it exits 0 within a minute, else null (also when it is not installed). */
    private static String run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(1, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
