package org.tollgate.banner.action;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.LogFields;

/**
 * The interactive session of a firewall tool that one action keeps for the few commands on a ban's path: started
 * when first needed, started again after it failed or after {@code maxLines} lines, and, when it cannot start, not
 * tried again for {@link #RETRY}. {@link #ask} answers null whenever there is no session to ask; the action then
 * runs one process instead. Not thread-safe: the owning action's lock guards it.
 */
final class KeptSession implements AutoCloseable {

    /** How long a session that could not start is not tried again. */
    static final Duration RETRY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(KeptSession.class);

    /** Starts the tool's session. */
    @FunctionalInterface
    interface Starter {
        CommandRunner.Session start() throws ActionException;
    }

    /** The process a batch of bans runs as when the session cannot take them ({@code ipset restore}, {@code nft -f}). */
    @FunctionalInterface
    interface Batch {
        CommandRunner.Result run() throws ActionException;
    }

    private final String action;
    private final String tool;
    private final Starter starter;
    private final int maxLines;
    private final InstantSource clock;
    private CommandRunner.Session session;
    private int lines;
    private Instant retry;

    /**
     * The ban path the session-keeping actions share: a few addresses go through the session, one command each of
     * {@code commands}, with no process started; when the batch is large (one process is cheaper then), there is no
     * session, or the tool said anything to a command (a set gone missing, say), {@code batch} runs instead, which
     * also creates what is missing and re-applies every entry, harmlessly. The caller then verifies
     * ({@link BanTargets.Outcome#verify}).
     *
     * @return null when applied, else the batch's failure
     */
    String sessionOrBatch(BanTargets targets, List<String> commands, Batch batch) throws ActionException {
        if (targets.addresses().size() <= FirewallActions.CHECK_ONE_BY_ONE_UP_TO && quiet(commands)) {
            return null;
        }
        CommandRunner.Result run = batch.run();
        return run.ok() ? null : run.failure();
    }

    /** True when every command got an empty answer from the session. */
    private boolean quiet(List<String> commands) {
        for (String command : commands) {
            String answer = ask(command);
            if (answer == null || !answer.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param action   the owning action's name, for logs
     * @param tool     the tool's name, for logs
     * @param maxLines lines after which the session is replaced by a new one
     */
    KeptSession(String action, String tool, Starter starter, int maxLines, InstantSource clock) {
        this.action = action;
        this.tool = tool;
        this.starter = starter;
        this.maxLines = maxLines;
        this.clock = clock;
    }

    /** The tool's answer to {@code line}; null when there is no session, it could not start, or it failed. */
    String ask(String line) {
        CommandRunner.Session running = session();
        if (running == null) {
            return null;
        }
        try {
            lines++;
            return running.ask(line);
        } catch (ActionException e) {
            LOG.atDebug().addKeyValue(LogFields.ACTION, action).addKeyValue(LogFields.ERROR, e.getMessage())
                    .log(tool + " session failed; using one " + tool + " process instead");
            return null;
        }
    }

    /** True while a session is up: asking then starts nothing. */
    boolean running() {
        return session != null && session.open() && lines < maxLines;
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private CommandRunner.Session session() {
        if (running()) {
            return session;
        }
        close();
        Instant now = clock.instant();
        if (retry != null && now.isBefore(retry)) {
            return null;
        }
        try {
            session = starter.start();
            lines = 0;
            retry = null;
            return session;
        } catch (ActionException e) {
            retry = now.plus(RETRY);
            LOG.atInfo().addKeyValue(LogFields.ACTION, action).addKeyValue(LogFields.ERROR, e.getMessage())
                    .log("no " + tool + " session; bans go through one " + tool + " process each");
            return null;
        }
    }
}
