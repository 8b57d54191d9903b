package org.tollgate.normalizer.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CdrRecordTest {

    private static final String BASE = "\"\",\"1001\",\"0044207946012\",\"from-internal\",\"\"\"Alice\"\" <1001>\","
            + "\"PJSIP/1001-0000002a\",\"PJSIP/trunk-0000002b\",\"Dial\",\"PJSIP/0044207946012@trunk,60\","
            + "\"2026-01-18 17:41:00\",\"2026-01-18 17:41:05\",\"2026-01-18 17:42:05\",65,60,\"ANSWERED\",\"DOCUMENTATION\"";

    @Test
    void everyColumnCountCdrCsvWrites() {
        assertThat(CdrRecord.parse(BASE, ZoneOffset.UTC).billsec()).isEqualTo(60);
        assertThat(CdrRecord.parse(BASE + ",\"1768758060.80\"", ZoneOffset.UTC).uniqueId()).isEqualTo("1768758060.80");
        assertThat(CdrRecord.parse(BASE + ",\"\"", ZoneOffset.UTC).uniqueId()).isNull();
        assertThat(CdrRecord.parse(BASE + ",\"pbx1-1768758060.80\",\"note\"", ZoneOffset.UTC).uniqueId())
                .isEqualTo("pbx1-1768758060.80");
        assertThat(CdrRecord.parse(BASE + ",\"1768758060.80\",\"\",\"\",\"1768758060.80\",7", ZoneOffset.UTC)).isNotNull();
        assertThat(CdrRecord.parse(BASE + ",\"1768758060.80\",\"\",\"\",\"1768758060.80\",7,\"x\"", ZoneOffset.UTC)).isNull();
    }

    @Test
    void datesAreThePbxLocalTime() {
        CdrRecord record = CdrRecord.parse(BASE, ZoneId.of("Europe/Berlin"));
        assertThat(record.start()).isEqualTo(Instant.parse("2026-01-18T16:41:00Z"));
    }

    @Test
    void quotesInsideFieldsAreDoubledAndReadBack() {
        String line = BASE.replace("\"0044207946012\",\"from-internal\"", "\"00\"\",\"\"x\",\"from-internal\"");
        CdrRecord record = CdrRecord.parse(line, ZoneOffset.UTC);
        assertThat(record.dst()).isEqualTo("00\",\"x");
        assertThat(record.dcontext()).isEqualTo("from-internal");
    }

    @Test
    void notRecords() {
        assertThat(CdrRecord.parse(BASE.substring(0, BASE.length() - 20), ZoneOffset.UTC)).isNull();
        assertThat(CdrRecord.parse(BASE.replace(",65,60,", ",\"65\",60,"), ZoneOffset.UTC)).isNull();
        assertThat(CdrRecord.parse(BASE.replace("\"ANSWERED\"", "\"MAYBE\""), ZoneOffset.UTC)).isNull();
        assertThat(CdrRecord.parse(BASE.replace("\"2026-01-18 17:41:05\"", "\"2026-13-18 17:41:05\""), ZoneOffset.UTC))
                .isNull();
        assertThat(CdrRecord.parse("\"unterminated", ZoneOffset.UTC)).isNull();
        assertThat(CdrRecord.parse("", ZoneOffset.UTC)).isNull();
    }
}
