package org.tollgate.banner.action;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.Ban;

/** Shared test data: bans, settings and the captured tool output under {@code src/test/resources/action}. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private Fixtures() {
    }

    /** A ban of {@code ip} that started now and lasts {@code bantime}; negative for permanent. */
    static Ban ban(String ip, Duration bantime) {
        return Ban.lasting(ip, "sip-auth", NOW, bantime, 5, 1);
    }

    static Ban ban(String ip) {
        return ban(ip, Duration.ofHours(1));
    }

    static Ban permanent(String ip) {
        return ban(ip, Duration.ofSeconds(-1));
    }

    static ActionSettings settings(String type, Map<String, String> params) {
        return new ActionSettings(type, params, 14);
    }

    /** The reasons {@code parser} gives for {@code lines}, read in order. */
    static List<String> reasons(FirewallMonitor.Parser parser, String... lines) {
        List<String> reasons = new ArrayList<>();
        for (String line : lines) {
            parser.read(line).ifPresent(reasons::add);
        }
        return reasons;
    }

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/action/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource action/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
