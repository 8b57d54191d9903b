package org.tollgate.server.check;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Columns} sets text as {@code String.format}'s {@code %-Ns} and {@code %Ns} do, which the summaries printed
 * before: for any text (shorter, as long as and longer than the column, any characters) and width, after any text
 * already on the line.
 */
class ColumnsProperties {

    @Property
    void leftIsFormatsLeftJustified(@ForAll String before, @ForAll String text, @ForAll @IntRange(min = 1, max = 60) int width) {
        assertThat(Columns.left(new StringBuilder(before), text, width).toString())
                .isEqualTo(before + String.format("%-" + width + "s", text));
    }

    @Property
    void rightIsFormatsWidth(@ForAll String before, @ForAll String text, @ForAll @IntRange(min = 1, max = 60) int width) {
        assertThat(Columns.right(new StringBuilder(before), text, width).toString())
                .isEqualTo(before + String.format("%" + width + "s", text));
    }

    @Property
    void numbersAsFormatsD(@ForAll long number, @ForAll @IntRange(min = 1, max = 30) int width) {
        assertThat(Columns.right(new StringBuilder(), number, width).toString())
                .isEqualTo(String.format("%" + width + "d", number));
        assertThat(Columns.left(new StringBuilder(), number, width).toString())
                .isEqualTo(String.format("%-" + width + "d", number));
    }
}
