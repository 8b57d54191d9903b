package org.tollgate.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.NopStatusListener;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The bundled logback.xml configures without errors and never prints logback's own report (it would go to stdout). */
class LogbackConfigTest {

    @Test
    void configuresCleanlyWithoutAStatusReportOnStdout() throws Exception {
        URL config = getClass().getClassLoader().getResource("logback.xml");
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);

        assertThat(new StatusUtil(context).getHighestLevel(0)).as("highest status level").isLessThan(Status.ERROR);
        assertThat(context.getStatusManager().getCopyOfStatusListenerList())
                .anyMatch(listener -> listener instanceof NopStatusListener);
        context.stop();
    }
}
