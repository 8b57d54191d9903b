package org.tollgate.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tollgate.normalizer.message.EventAction;

/** docs/events.md is the contract SIEM rules and jails are written against: it must name every action. */
class EventReferenceTest {

    @Test
    void everyActionIsDocumented() throws Exception {
        String reference = Files.readString(Path.of("..", "docs", "events.md"));
        for (EventAction action : EventAction.values()) {
            String name = action == EventAction.CUSTOM ? action.id() + ":<filter>" : action.id();
            assertThat(reference).as("docs/events.md row for %s", name).contains("| `" + name + "` |");
        }
    }
}
