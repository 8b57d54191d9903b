package org.tollgate.banner.enforce;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.BanOutcome;
import org.tollgate.banner.LogFields;
import org.tollgate.banner.jail.Ban;

/**
 * One round of firewall calls: a batch of bans or of lifts through the actions, one call per action in configuration
 * order, however many addresses. This is where the enforcer's I/O happens; it runs outside anything the status
 * readers wait on (they read the ledger's snapshot).
 *
 * <p>Each address goes to an action with the longest ban any jail holds for it in that action's target, so a short
 * ban never shortens a long one's kernel timeout; a lift of an address another jail still bans there is not made,
 * and when the lifted ban outlasted the other, the address's timeout is brought down to the other's instead.
 */
final class ActionRound {

    private static final Logger LOG = LoggerFactory.getLogger(ActionRound.class);

    private final ActionRouting routing;
    private final BanLedger ledger;

    ActionRound(ActionRouting routing, BanLedger ledger) {
        this.routing = Objects.requireNonNull(routing, "routing");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * What one action did with the addresses of one call.
     *
     * @param sent    the addresses sent, each with the ban it was sent as
     * @param done    the addresses the action applied (or lifted)
     * @param reasons why each other address failed
     */
    record Call(ConfiguredAction action, Map<String, Ban> sent, Set<String> done, Map<String, String> reasons) {

        boolean done(String ip) {
            return done.contains(ip);
        }

        String reason(String ip) {
            String reason = reasons.get(ip);
            return reason != null ? reason : "the action reported no outcome for " + ip;
        }
    }

    /** The calls of one round, with the addresses applied and failed counted per action, once for bans and lifts. */
    record Result(List<Call> calls) {

        static final Result NONE = new Result(List.of());

        int applied() {
            int applied = 0;
            for (Call call : calls) {
                for (String ip : call.sent().keySet()) {
                    applied += call.done(ip) ? 1 : 0;
                }
            }
            return applied;
        }

        int failed() {
            int sent = 0;
            for (Call call : calls) {
                sent += call.sent().size();
            }
            return sent - applied();
        }

        /**
         * Warns when an action starts failing (how many of how many, and the first reason: the tool and its exit
         * code, or what it said), once until a call of it works again, which is said at info; the retries between
         * are logged at debug, so a tool that keeps failing is one warning, not one per retry.
         */
        void warnFailures(String message) {
            for (Call call : calls) {
                int failures = 0;
                String firstReason = null;
                for (String ip : call.sent().keySet()) {
                    if (!call.done(ip)) {
                        failures++;
                        firstReason = firstReason == null ? call.reason(ip) : firstReason;
                    }
                }
                ConfiguredAction action = call.action();
                if (failures > 0 && action.usable()) {
                    (action.failed(firstReason) ? LOG.atWarn() : LOG.atDebug())
                            .addKeyValue(LogFields.ACTION, action.label())
                            .addKeyValue(LogFields.FAILED, failures)
                            .addKeyValue(LogFields.COUNT, call.sent().size())
                            .addKeyValue(LogFields.REASON, firstReason)
                            .log(message);
                } else if (failures == 0 && !call.sent().isEmpty()) {
                    worked(action);
                }
            }
        }
    }

    /** Applies each action's share of {@code work} and records the outcome on every ban, in the ledger's counters too. */
    Result ban(Map<ConfiguredAction, List<TrackedBan>> work) {
        List<Call> calls = new ArrayList<>();
        for (ConfiguredAction action : routing.actions()) {
            List<TrackedBan> share = work.get(action);
            if (share == null || share.isEmpty()) {
                continue;
            }
            Map<String, Ban> byIp = new LinkedHashMap<>();
            for (TrackedBan entry : share) {
                byIp.computeIfAbsent(entry.ban().ip(), ip -> ledger.longestHeld(action, entry.ban()));
            }
            Call call = call(action, true, byIp);
            calls.add(call);
            for (TrackedBan entry : share) {
                String ip = entry.ban().ip();
                if (call.done(ip)) {
                    entry.applied(action);
                } else {
                    entry.failed(action, call.reason(ip));
                    LOG.atDebug().addKeyValue(LogFields.ACTION, action.label())
                            .addKeyValue(LogFields.SOURCE_IP, ip).addKeyValue(LogFields.JAIL, entry.ban().jail())
                            .addKeyValue(LogFields.REASON, call.reason(ip)).log("ban not applied");
                }
            }
        }
        Result result = new Result(calls);
        result.warnFailures("firewall action failed to apply bans; retrying");
        ledger.countBans(result.applied(), result.failed());
        return result;
    }

    /**
     * Lifts each action's share of {@code work} (bans already out of the ledger), skipping addresses another jail
     * still bans into that action's target.
     *
     * @return the bans that failed to lift, with the actions that failed them
     */
    Map<Ban, Set<ConfiguredAction>> lift(Map<ConfiguredAction, List<Ban>> work) {
        Map<Ban, Set<ConfiguredAction>> failures = new HashMap<>();
        List<Call> calls = new ArrayList<>();
        for (ConfiguredAction action : routing.actions()) {
            List<Ban> share = work.get(action);
            if (share == null || share.isEmpty()) {
                continue;
            }
            Map<String, Ban> toLift = new LinkedHashMap<>();
            Map<String, Ban> toShorten = new LinkedHashMap<>();
            List<Ban> lifting = new ArrayList<>();
            for (Ban ban : share) {
                Ban holder = ledger.longestHeldBy(action, ban.ip());
                if (holder == null) {
                    toLift.putIfAbsent(ban.ip(), ban);
                    lifting.add(ban);
                } else if (BanLedger.outlasts(ban, holder)) {
                    toShorten.put(ban.ip(), holder);
                }
            }
            if (!toLift.isEmpty()) {
                Call call = call(action, false, toLift);
                calls.add(call);
                for (Ban ban : lifting) {
                    if (!call.done(ban.ip())) {
                        failures.computeIfAbsent(ban, b -> new LinkedHashSet<>()).add(action);
                    }
                }
            }
            if (!toShorten.isEmpty()) {
                Call call = call(action, true, toShorten);
                if (call.done().size() < toShorten.size()) {
                    LOG.atWarn().addKeyValue(LogFields.ACTION, action.label())
                            .addKeyValue(LogFields.FAILED, toShorten.size() - call.done().size())
                            .log("timeouts of bans still held by another jail not shortened; they last longer");
                }
            }
        }
        Result result = new Result(calls);
        result.warnFailures("firewall action failed to lift bans; retrying");
        ledger.countLifts(result.applied(), result.failed());
        return failures;
    }

    /** One ban or unban call; an exception becomes a failure of every address in it. */
    private static Call call(ConfiguredAction action, boolean ban, Map<String, Ban> byIp) {
        if (!action.usable()) {
            // No process for a tool that is not there: every address waits, with the reason.
            Map<String, String> failures = new LinkedHashMap<>();
            byIp.keySet().forEach(ip -> failures.put(ip, action.unusableReason()));
            return new Call(action, byIp, Set.of(), failures);
        }
        List<Ban> bans = List.copyOf(byIp.values());
        try {
            BanOutcome outcome = ban ? action.firewall().ban(bans) : action.firewall().unban(bans);
            Objects.requireNonNull(outcome, "outcome");
            return new Call(action, byIp, new HashSet<>(outcome.applied()), outcome.failed());
        } catch (ActionException | RuntimeException e) {
            Map<String, String> failures = new LinkedHashMap<>();
            String reason = message(e);
            byIp.keySet().forEach(ip -> failures.put(ip, reason));
            return new Call(action, byIp, Set.of(), failures);
        }
    }

    /** Records a call of {@code action} that worked; says so when its calls had failed before. */
    static void worked(ConfiguredAction action) {
        if (action.worked()) {
            LOG.atInfo().addKeyValue(LogFields.ACTION, action.label())
                    .log("firewall action works again; the bans it failed are being applied");
        }
    }

    static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }
}
