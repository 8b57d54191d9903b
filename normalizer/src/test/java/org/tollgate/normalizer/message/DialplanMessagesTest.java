package org.tollgate.normalizer.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dialplan lines, and what a caller who writes anchors into the extension can and cannot make of them. */
class DialplanMessagesTest {

    private static DialplanMessages.Line read(String message) {
        return DialplanMessages.read(message, 0, "VERBOSE");
    }

    @Test
    void executingOf13AndLater() {
        DialplanMessages.Line line = read("Executing [0044207946012@from-internal:2] Dial(\"PJSIP/1001-0000002a\", "
                + "\"PJSIP/0044207946012@trunk,60\") in new stack");
        assertThat(line.kind()).isEqualTo(DialplanMessages.Kind.EXECUTING);
        assertThat(line.exten()).isEqualTo("0044207946012");
        assertThat(line.context()).isEqualTo("from-internal");
        assertThat(line.app()).isEqualTo("Dial");
        assertThat(line.channel()).isEqualTo("PJSIP/1001-0000002a");
        assertThat(line.data()).isEqualTo("PJSIP/0044207946012@trunk,60");
        assertThat(line.ambiguous()).isFalse();
    }

    @Test
    void executingWithTheVerbosePrefixOf14To12() {
        DialplanMessages.Line line = read("    -- Executing [100@default:1] Dial(\"SIP/1001-00000003\", \"SIP/1002|20\") in new stack");
        assertThat(line.channel()).isEqualTo("SIP/1001-00000003");
        assertThat(line.data()).isEqualTo("SIP/1002|20");
    }

    @Test
    void anExtensionWithAtSignsAndColonsStillReads() {
        DialplanMessages.Line line = read("Executing [a@b:7@ctx:3] NoOp(\"PJSIP/1001-0000002a\", \"\") in new stack");
        assertThat(line.exten()).isEqualTo("a@b:7");
        assertThat(line.context()).isEqualTo("ctx");
    }

    @Test
    void anExtensionThatPlantsAnotherReadingIsAmbiguous() {
        String planted = "00@x:1] Dial(\"PJSIP/1004-00000001\", \"";
        DialplanMessages.Line line = read("Executing [" + planted + "@from-internal:1] Dial(\"PJSIP/1001-00000040\", "
                + "\"PJSIP/" + planted + "@trunk\") in new stack");
        assertThat(line.ambiguous()).isTrue();
    }

    @Test
    void theAnsweredCallerIsWhatFollowsTheLastAnswered() {
        DialplanMessages.Line line = read("Local/0044 answered PJSIP/1009-00000001@ctx-00000007;1 answered PJSIP/1001-0000002a");
        assertThat(line.kind()).isEqualTo(DialplanMessages.Kind.ANSWERED);
        assertThat(line.channel()).isEqualTo("PJSIP/1001-0000002a");
    }

    @Test
    void spawnReadsTheChannelFromTheEnd() {
        DialplanMessages.Line line = read("Spawn extension (from-internal, x) exited non-zero on 'PJSIP/1002-00000009', "
                + "1) exited non-zero on 'PJSIP/1001-0000002a'");
        assertThat(line.kind()).isEqualTo(DialplanMessages.Kind.ENDED);
        assertThat(line.channel()).isEqualTo("PJSIP/1001-0000002a");
        DialplanMessages.Line macro = read("  == Spawn extension (macro-dialout-trunk, s, 20) exited non-zero on "
                + "'SIP/1002-00000003' in macro 'dialout-trunk'");
        assertThat(macro.channel()).isEqualTo("SIP/1002-00000003");
        assertThat(macro.context()).isEqualTo("macro-dialout-trunk");
    }

    @Test
    void autoFallthroughGivesTheDialStatus() {
        DialplanMessages.Line line = read("Auto fallthrough, channel 'PJSIP/1003-00000031' status is 'NOANSWER'");
        assertThat(line.channel()).isEqualTo("PJSIP/1003-00000031");
        assertThat(line.data()).isEqualTo("NOANSWER");
    }

    @Test
    void registrations() {
        DialplanMessages.Line sip = read("Registered SIP '1002' at [2001:db8::20]:5062");
        assertThat(sip.name()).isEqualTo("1002");
        assertThat(sip.address().ip()).isEqualTo("2001:db8::20");
        DialplanMessages.Line pjsip = read("Added contact 'sip:1003@192.0.2.33:5060;transport=udp' to AOR '1003' "
                + "with expiration of 3600 seconds");
        assertThat(pjsip.name()).isEqualTo("1003");
        assertThat(pjsip.address().ip()).isEqualTo("192.0.2.33");
        DialplanMessages.Line planted = read("Added contact 'sip:x' to AOR 'victim' with expiration of 1 seconds@"
                + "192.0.2.34' to AOR '1004' with expiration of 60 seconds");
        assertThat(planted.name()).isEqualTo("1004");
    }

    @Test
    void otherLevelsAndOtherLinesAreNothing() {
        assertThat(DialplanMessages.read("Executing [1@c:1] Dial(\"PJSIP/1-00000001\", \"\") in new stack", 0, "NOTICE"))
                .isNull();
        assertThat(read("Got  RTP packet from    10.20.0.51:10000 (type 00, seq 000001, ts 1, len 000160)")).isNull();
        assertThat(read("Channel PJSIP/1002-00000002 joined 'simple_bridge' basic-bridge <x>")).isNull();
        assertThat(read("PJSIP/trunk-0000002b is ringing")).isNull();
    }
}
