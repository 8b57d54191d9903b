package org.tollgate.server.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.tollgate.banner.enforce.Enforcer;
import org.tollgate.banner.enforce.EnforcerStatus;
import org.tollgate.banner.jail.Ban;
import org.tollgate.banner.jail.JailStats;
import org.tollgate.banner.jail.Jails;
import org.tollgate.server.bus.EventPublisher;

/** The running service as the API sees it: every change goes through the {@link Enforcer}. */
public final class LiveServiceView implements ServiceView {

    private final Enforcer enforcer;
    private final Jails jails;
    private final EventPublisher publisher;
    private final LongSupplier linesRead;
    private final LongSupplier failuresHandled;
    private final Supplier<Map<String, Long>> outputQueues;
    private final Supplier<List<String>> problems;
    private final Supplier<StoreStatus> store;

    /**
     * @param linesRead       lines read by every source
     * @param failuresHandled failures the banner has put through the jails
     * @param outputQueues    events waiting in each output, by name
     * @param problems        what keeps the service from protecting fully now
     */
    public LiveServiceView(Enforcer enforcer, Jails jails, EventPublisher publisher, LongSupplier linesRead,
                           LongSupplier failuresHandled, Supplier<Map<String, Long>> outputQueues,
                           Supplier<List<String>> problems, Supplier<StoreStatus> store) {
        this.store = Objects.requireNonNull(store, "store");
        this.problems = Objects.requireNonNull(problems, "problems");
        this.enforcer = Objects.requireNonNull(enforcer, "enforcer");
        this.jails = Objects.requireNonNull(jails, "jails");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.linesRead = Objects.requireNonNull(linesRead, "linesRead");
        this.failuresHandled = Objects.requireNonNull(failuresHandled, "failuresHandled");
        this.outputQueues = Objects.requireNonNull(outputQueues, "outputQueues");
    }

    @Override
    public EnforcerStatus status() {
        return enforcer.status();
    }

    @Override
    public List<JailStats> jails() {
        return jails.stats();
    }

    @Override
    public Ban ban(String ip, String jail) {
        return enforcer.ban(ip, jail);
    }

    @Override
    public List<Ban> unban(String ip) {
        return enforcer.unban(ip);
    }

    @Override
    public StoreStatus store() {
        return store.get();
    }

    @Override
    public PipelineCounts pipeline() {
        long failures = publisher.failures();
        long handled = failuresHandled.getAsLong();
        Map<String, Long> queues = new LinkedHashMap<>();
        queues.put("jails", Math.max(0, failures - handled));
        queues.putAll(outputQueues.get());
        return new PipelineCounts(linesRead.getAsLong(), publisher.lines(), publisher.securityEvents(), failures,
                handled, queues, problems.get());
    }
}
