package org.tollgate.server.ban;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.time.Instant;
import java.util.List;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.jail.Ban;
import org.tollgate.server.bus.Addresses;
import org.tollgate.server.bus.LocalCodec;

/**
 * A change by hand (the admin API's ban or unban), or one the cluster brings (a ban or a lift another node decided),
 * sent to the {@link BannerVerticle} on {@link Addresses#BAN_COMMANDS} as a request, never leaving the process: the
 * banner, the only owner of the enforcer, makes it in order with the jails' own bans, publishes a change by hand on
 * {@link Addresses#BANS} and replies with {@link Done}.
 * A refusal is a failed reply: code 400 (an address the jail never bans), 404 (no such jail).
 */
public sealed interface BanCommand permits BanCommand.BanByHand, BanCommand.UnbanByHand, BanCommand.ApplyShared,
        BanCommand.LiftShared, BanCommand.HeldBans, BanCommand.Reconfigure, BanCommand.UnbanInJail {

    /** Bans {@code ip} (canonical) in {@code jail}, with the jail's bantime and actions. */
    record BanByHand(String ip, String jail) implements BanCommand {
    }

    /** Lifts every ban of {@code ip} (canonical), in every jail. */
    record UnbanByHand(String ip) implements BanCommand {
    }

    /**
     * Bans another cluster node decided: each put in force here unless its jail does not run here or already holds a
     * ban of the address. Replied with the bans put in force.
     */
    record ApplyShared(List<Ban> bans) implements BanCommand {
        public ApplyShared {
            bans = List.copyOf(bans);
        }
    }

    /** A lift by hand on another cluster node, at {@code at}: the ban held here, if it started by then. */
    record LiftShared(String ip, String jail, Instant at) implements BanCommand {
    }

    /**
     * Runs running jails under new settings, keeping their counts and bans ({@code tollgate reload}); replied with no
     * bans. A refusal (a jail not running, actions changed) changes nothing.
     */
    record Reconfigure(List<JailSettings> jails) implements BanCommand {
        public Reconfigure {
            jails = List.copyOf(jails);
        }
    }

    /** Lifts the ban of {@code ip} (canonical) in {@code jail} alone; 404 for a jail that does not run. */
    record UnbanInJail(String ip, String jail) implements BanCommand {
    }

    /** Asks for the bans in force here, every jail (the cluster compares them with the shared map). */
    record HeldBans() implements BanCommand {
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
