package org.tollgate.server.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.server.LogFields;
import org.tollgate.server.TollgateService;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP reloads the configuration ({@link TollgateService#reload}), as it does for fail2ban and most daemons, and as
 * systemd's {@code ExecReload=/bin/kill -HUP $MAINPID} expects. Java has no public signal API; {@code sun.misc.Signal}
 * (module jdk.unsupported, exported to every class path program, supported through JDK 17 and after) is the one the
 * JDK keeps for this. It replaces the JVM's own SIGHUP handling (an orderly exit), so a hang-up of the terminal no
 * longer stops a service started by hand; SIGTERM and SIGINT still do. The signal only starts the reload: its outcome
 * is logged ({@code configuration reloaded} or {@code configuration not reloaded} with the reason).
 */
final class Hangup {

    private static final Logger LOG = LoggerFactory.getLogger(Hangup.class);

    private Hangup() {
    }

    static void reloads(TollgateService service) {
        try {
            SignalHandler before = Signal.handle(new Signal("HUP"), signal -> {
                LOG.atInfo().log("SIGHUP: reading the configuration again");
                service.reload();
            });
            if (before == SignalHandler.SIG_IGN) {
                // The JVM leaves a signal the process was started ignoring (nohup) ignored, and says nothing.
                LOG.atWarn().log("SIGHUP is ignored by this process (started under nohup?) and cannot reload;"
                        + " use tollgate reload");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // Started with -Xrs, or a platform without SIGHUP: 'tollgate reload' still works through the API.
            LOG.atWarn().addKeyValue(LogFields.REASON, e.getMessage()).log("SIGHUP cannot reload here; use tollgate reload");
        }
    }
}
