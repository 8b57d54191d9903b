package org.tollgate.server.ban;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import org.tollgate.banner.jail.Ban;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.LocalCodec;

/**
 * A change by hand (the admin API's ban or unban), sent to the {@link BannerVerticle} on
 * {@link Addresses#BAN_COMMANDS} as a request, never leaving the process: the banner, the only owner of the enforcer,
 * makes it in order with the jails' own bans, publishes it on {@link Addresses#BANS} and replies with {@link Done}.
 * A refusal is a failed reply: code 400 (an address the jail never bans), 404 (no such jail).
 */
public sealed interface BanCommand permits BanCommand.BanByHand, BanCommand.UnbanByHand {

    /** Bans {@code ip} (canonical) in {@code jail}, with the jail's bantime and actions. */
    record BanByHand(String ip, String jail) implements BanCommand {
    }

    /** Lifts every ban of {@code ip} (canonical), in every jail. */
    record UnbanByHand(String ip) implements BanCommand {
    }

    /** The reply: the bans made or lifted (none: the address was not banned). */
    record Done(List<Ban> bans) {
        public Done {
            bans = List.copyOf(bans);
        }
    }

    /** How a command travels: by reference, on this process's bus only. */
    DeliveryOptions REQUEST = new DeliveryOptions().setLocalOnly(true)
            .setCodecName(new LocalCodec<>(BanCommand.class).name());
    /** How the reply travels. */
    DeliveryOptions REPLY = new DeliveryOptions().setLocalOnly(true).setCodecName(new LocalCodec<>(Done.class).name());

    /** Registers the codecs of the commands and replies; once per Vert.x instance. */
    static void registerCodecs(EventBus bus) {
        bus.registerCodec(new LocalCodec<>(BanCommand.class));
        bus.registerCodec(new LocalCodec<>(Done.class));
    }
}
