package org.tollgate.server.adopt.patches;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tollgate.server.check.LogChecker;

/**
 * Logs of each Asterisk generation, written for the project from the message catalog (src/test/resources/generations),
 * read by the advisor: the release it names, the chan_sip patch, the security log, the dates and logger.conf.
 */
class PatchAdvisorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PatchAdvice advise(String... logs) throws IOException, URISyntaxException {
        LogChecker checker = new LogChecker(LogChecker.options(ZoneOffset.UTC, false));
        PatchAdvisor advisor = new PatchAdvisor();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        for (String log : logs) {
            Path path = Path.of(PatchAdvisorTest.class.getResource("/generations/" + log).toURI());
            checker.check(path.toString(), new ByteArrayInputStream(new byte[0]), advisor::accept, quiet, false);
        }
        return advisor.advice();
    }

    private static PatchAdvice.Generation only(PatchAdvice advice) {
        assertThat(advice.generations()).hasSize(1);
        return advice.generations().get(0);
    }

    @Test
    void asterisk14() throws Exception {
        PatchAdvice advice = advise("asterisk-1.4.log");

        assertThat(only(advice).series()).containsExactly("1.4");
        assertThat(advice.chanSip().headerOnlyFailures()).isEqualTo(2);
        assertThat(advice.chanSip().patches()).containsOnlyKeys(
                "patches/chan_sip-1.4.0-1.4.23.2-auth-source-address.patch",
                "patches/chan_sip-1.4.24-auth-source-address.patch",
                "patches/chan_sip-1.4.24.1-1.4.39.2-auth-source-address.patch",
                "patches/chan_sip-1.4-auth-source-address.patch");
        assertThat(advice.chanSip().advice().get(0)).contains("core show version");
        // 1.4 has no security log and no %q.
        assertThat(advice.securityLog().advice()).isNull();
        assertThat(advice.dates().withYear()).isZero();
        assertThat(advice.loggerConf()).containsExactly("[general]", "dateformat = %F %T");
    }

    @Test
    void asterisk16() throws Exception {
        PatchAdvice advice = advise("asterisk-1.6.log");

        assertThat(only(advice).series()).containsExactly("1.6.1", "1.6.2");
        assertThat(advice.chanSip().headerOnlyFailures()).isEqualTo(3);
        assertThat(advice.chanSip().patches()).containsOnlyKeys(
                "patches/chan_sip-1.6.1-1.6.2.16.2-auth-source-address.patch",
                "patches/chan_sip-1.6.2-auth-source-address.patch");
        assertThat(advice.securityLog().advice()).isNull();
        assertThat(advice.loggerConf()).containsExactly("[general]", "dateformat = %F %T.%3q");
    }

    @Test
    void asterisk18() throws Exception {
        PatchAdvice advice = advise("asterisk-1.8.log");

        assertThat(only(advice).series()).containsExactly("1.8", "10");
        assertThat(advice.chanSip().patches()).containsKey("patches/chan_sip-1.8-auth-source-address.patch")
                .doesNotContainKey("patches/chan_sip-13.32-20-auth-source-address.patch");
        assertThat(advice.securityLog().seen()).isTrue();
        assertThat(advice.dates().withYear()).isEqualTo(advice.dates().asteriskStamps());
        assertThat(advice.dates().withMilliseconds()).isZero();
        assertThat(advice.loggerConf()).containsExactly("[general]", "dateformat = %F %T.%3q");
    }

    @Test
    void asterisk11NamedByItsLogHeader() throws Exception {
        PatchAdvice advice = advise("asterisk-11.log");

        assertThat(only(advice).range()).isEqualTo("11.25.3");
        assertThat(advice.chanSip().patches()).containsOnlyKeys("patches/chan_sip-11-auth-source-address.patch");
        assertThat(advice.chanSip().advice().get(0)).startsWith("apply patches/chan_sip-11-auth-source-address.patch");
        assertThat(advice.securityLog().seen()).isFalse();
        assertThat(advice.loggerConf()).containsExactly("[general]", "dateformat = %F %T.%3q", "[logfiles]",
                "security => security");
    }

    @Test
    void asterisk13WithPjsipAndAPacketDump() throws Exception {
        PatchAdvice advice = advise("asterisk-13.log");

        assertThat(only(advice).series()).containsExactly("13", "14", "15", "16");
        assertThat(advice.chanSip().lines()).isZero();
        assertThat(advice.chanSip().patches()).isEmpty();
        assertThat(advice.notes()).anyMatch(note -> note.contains("dumped the raw packet"));
        assertThat(advice.loggerConf()).isEmpty();
    }

    @Test
    void asterisk16WithThePlainFormatter() throws Exception {
        PatchAdvice advice = advise("asterisk-16.log");

        assertThat(only(advice).series()).containsExactly("16", "17", "18", "19", "20");
        assertThat(advice.layouts()).containsOnlyKeys("plain");
        assertThat(advice.chanSip().patches()).containsKey("patches/chan_sip-13.32-20-auth-source-address.patch");
        assertThat(advice.loggerConf()).containsExactly("[logfiles]", "security => security");
    }

    @Test
    void asterisk18WithTheDroppingLine() throws Exception {
        PatchAdvice advice = advise("asterisk-18.log");

        assertThat(only(advice).series()).containsExactly("18", "19", "20");
        assertThat(advice.chanSip().patches()).containsOnlyKeys("patches/chan_sip-13.32-20-auth-source-address.patch");
        assertThat(advice.notes()).noneMatch(note -> note.contains("dumped the raw packet"));
    }

    @Test
    void asterisk20NamedByItsLogHeader() throws Exception {
        PatchAdvice advice = advise("asterisk-20.log");

        assertThat(only(advice).range()).isEqualTo("20.7.0");
        assertThat(advice.chanSip().headerOnlyFailures()).isEqualTo(2);
        assertThat(advice.chanSip().patches()).containsOnlyKeys("patches/chan_sip-13.32-20-auth-source-address.patch");
        assertThat(advice.chanSip().advice()).anyMatch(a -> a.contains("trust: any"));
        assertThat(advice.securityLog().seen()).isTrue();
        assertThat(advice.loggerConf()).isEmpty();
    }

    @Test
    void asterisk22ThroughSyslog() throws Exception {
        PatchAdvice advice = advise("asterisk-22.log");

        assertThat(only(advice).series()).contains("22").doesNotContain("16", "17");
        assertThat(advice.chanSip().lines()).isZero();
        assertThat(advice.dates().asteriskStamps()).isZero();
        assertThat(advice.dates().syslogStamps()).isEqualTo(5);
        assertThat(advice.dates().advice()).contains("RSYSLOG_FileFormat");
        assertThat(advice.loggerConf()).containsExactly("[logfiles]", "security => security");
    }

    @Test
    void logsOfTwoGenerationsAreToldApartAndTheLayoutsAreMixed() throws Exception {
        PatchAdvice advice = advise("asterisk-1.4.log", "asterisk-22.log");

        assertThat(advice.generations()).hasSize(2);
        assertThat(advice.generations()).extracting(PatchAdvice.Generation::series)
                .anySatisfy(series -> assertThat(series).containsExactly("1.4"))
                .anySatisfy(series -> assertThat(series).contains("22"));
        assertThat(advice.notes()).anyMatch(note -> note.contains("cannot all come from one Asterisk release"));
        assertThat(advice.mixed()).anyMatch(m -> m.contains("2 layouts"));
    }

    @Test
    void aPatchedHostIsToldToSayPatched(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("full");
        Files.writeString(log, "[2024-05-02 08:00:01.010] NOTICE[3106] chan_sip.c: Failed to authenticate device"
                + " <sip:1001@203.0.113.5>;tag=z for INVITE, code = -1 (192.0.2.7:5060)\n");
        LogChecker checker = new LogChecker(LogChecker.options(ZoneOffset.UTC, false));
        PatchAdvisor advisor = new PatchAdvisor();
        checker.check(log.toString(), null, advisor::accept, new PrintStream(new ByteArrayOutputStream()), false);

        PatchAdvice advice = advisor.advice();
        assertThat(advice.chanSip().patchedLines()).isEqualTo(1);
        assertThat(advice.chanSip().patches()).isEmpty();
        assertThat(advice.chanSip().advice()).singleElement().asString().contains("patched: true");
    }

    @Test
    void theJsonNamesEveryPart() throws Exception {
        JsonNode json = JSON.readTree(PatchAdviceReport.json(advise("asterisk-11.log")));

        assertThat(json.path("generations").get(0).path("range").asText()).isEqualTo("11.25.3");
        assertThat(json.path("generations").get(0).path("series").get(0).asText()).isEqualTo("11");
        assertThat(json.path("chan_sip").path("header_only_failures").asLong()).isEqualTo(1);
        assertThat(json.path("chan_sip").path("patches").fieldNames()).toIterable()
                .containsExactly("patches/chan_sip-11-auth-source-address.patch");
        assertThat(json.path("security_log").path("seen").asBoolean(true)).isFalse();
        assertThat(json.path("dates").path("with_year").asLong()).isEqualTo(7);
        assertThat(json.path("layouts").path("file").asLong()).isEqualTo(7);
        assertThat(JSON.convertValue(json.path("logger_conf"), List.class))
                .containsExactly("[general]", "dateformat = %F %T.%3q", "[logfiles]", "security => security");
    }
}
