package org.tollgate.server.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

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

    @Property
    void rowIsTheTablesFormat(@ForAll @Size(max = 6) List<@IntRange(min = -30, max = 30) Integer> widths,
            @ForAll @Size(max = 8) List<String> cells) {
        int[] columns = widths.stream().mapToInt(w -> w == 0 ? 1 : w).toArray();
        StringBuilder format = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            format.append(i > 0 ? " " : "").append(i >= columns.length ? "%s" : columns[i] < 0 ? "%" + -columns[i] + "s"
                    : "%-" + columns[i] + "s");
        }
        assertThat(Columns.row(new StringBuilder(), columns, cells.toArray()).toString())
                .isEqualTo(String.format(format.append("%n").toString(), cells.toArray()));
    }
}
