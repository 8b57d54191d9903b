package org.tollgate.banner.enforce;

import org.tollgate.banner.jail.Ban;

/** What identifies a ban in force: a jail holds at most one ban per address (the store's primary key too). */
record BanKey(String ip, String jail) {

    static BanKey of(Ban ban) {
        return new BanKey(ban.ip(), ban.jail());
    }
}
