package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate filters export}: the repository's filters, byte for byte, into a filter.d. */
class FiltersCommandTest {

    private static final Path FILTERS = Path.of("..", "filters");

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @TempDir
    Path dir;

    @Test
    void writesTheRepositorysFiltersAndReplacesOnlyWhatDiffers() throws Exception {
        Files.writeString(dir.resolve("common.conf"), "[DEFAULT]\n");
        Files.writeString(dir.resolve("asterisk.conf"), "# the fail2ban package's filter\n");

        assertThat(TollgateCommand.execute("filters", "export", dir.toString())).isZero();

        for (String name : new String[] {"asterisk.conf", "asterisk-patched.conf"}) {
            assertThat(Files.readAllBytes(dir.resolve(name))).isEqualTo(Files.readAllBytes(FILTERS.resolve(name)));
        }
        assertThat(console.stdout()).contains("asterisk.conf: replaced (it differed)")
                .contains("asterisk-patched.conf: written");
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("common.conf", "asterisk.conf",
                "asterisk-patched.conf");

        assertThat(TollgateCommand.execute("filters", "export", dir.toString())).isZero();
        assertThat(console.stdout()).contains("asterisk-patched.conf: unchanged");
    }

    @Test
    void aMissingDirectoryIsNotCreated() {
        Path missing = dir.resolve("filter.d");

        assertThat(TollgateCommand.execute("filters", "export", missing.toString())).isEqualTo(2);
        assertThat(missing).doesNotExist();
        assertThat(console.stderr()).contains("no such directory");
    }
}
