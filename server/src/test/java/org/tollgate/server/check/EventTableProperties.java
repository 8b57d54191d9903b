package org.tollgate.server.check;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;

/**
 * The event table shows attacker-written text (user names, reasons) with its control characters as {@code ?}, as the
 * regex {@code \p{Cntrl}} it replaced did: for text of control characters, spaces, DEL, C1 controls and beyond.
 */
class EventTableProperties {

    @Property
    void printableIsTheRegexReplacement(@ForAll @CharRange(from = '\u0000', to = '\u00ff')
            @Chars({'\u2028', '\u200b', '…', 'a'}) String text) {
        assertThat(EventTable.printable(text)).isEqualTo(text.replaceAll("\\p{Cntrl}", "?"));
    }
}
