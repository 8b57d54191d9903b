package org.tollgate.server.banning;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.replay.Decision;
import org.tollgate.banner.replay.DecisionJsonWriter;

/** A ban or an unban as the JSON published on {@code tollgate.bans}: the same shape {@code tollgate replay --json} writes. */
final class BanJson {

    private BanJson() {
    }

    static String of(Decision decision) {
        StringWriter text = new StringWriter(256);
        try (DecisionJsonWriter writer = new DecisionJsonWriter(text)) {
            writer.write(decision);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().strip();
    }

    static String ban(Ban ban) {
        return of(Decision.ban(ban));
    }

    static String unban(Ban ban, java.time.Instant at) {
        return of(new Decision(Decision.Kind.UNBAN, at, ban.ip(), ban.jail(), ban.failures(), ban.bantimeSeconds()));
    }
}
