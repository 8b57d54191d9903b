package org.tollgate.banner.enforce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.action.BanOutcome;
import org.tollgate.banner.action.FirewallAction;
import org.tollgate.banner.jail.Ban;

/** Passes every call to a firewall action and records it, with the addresses it carried. */
class RecordingAction implements FirewallAction {

    /** One call: {@code setUp}, {@code ban}, {@code unban}, {@code missing}, {@code warmUp}, {@code tearDown} or {@code close}. */
    record Call(String method, List<String> ips) {
    }

    private final FirewallAction delegate;
    private final List<Call> calls = new ArrayList<>();

    RecordingAction(FirewallAction delegate) {
        this.delegate = delegate;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The address lists of every call of {@code method}, in order. */
    synchronized List<List<String>> calls(String method) {
        return calls.stream().filter(call -> call.method().equals(method)).map(Call::ips).toList();
    }

    /** Every address passed to {@code method}, over all calls. */
    synchronized List<String> addresses(String method) {
        return calls(method).stream().flatMap(List::stream).toList();
    }

    synchronized void clear() {
        calls.clear();
    }

    private synchronized void record(String method, Collection<Ban> bans) {
        calls.add(new Call(method, bans.stream().map(Ban::ip).toList()));
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void setUp() throws ActionException {
        record("setUp", List.of());
        delegate.setUp();
    }

    @Override
    public BanOutcome ban(List<Ban> bans) throws ActionException {
        record("ban", bans);
        return delegate.ban(bans);
    }

    @Override
    public BanOutcome unban(List<Ban> bans) throws ActionException {
        record("unban", bans);
        return delegate.unban(bans);
    }

    @Override
    public void warmUp(Collection<Ban> probes) throws ActionException {
        record("warmUp", probes);
        delegate.warmUp(probes);
    }

    @Override
    public Set<String> missing(Collection<Ban> active) throws ActionException {
        record("missing", active);
        return delegate.missing(active);
    }

    @Override
    public void tearDown() throws ActionException {
        record("tearDown", List.of());
        delegate.tearDown();
    }

    @Override
    public void close() throws ActionException {
        record("close", List.of());
        delegate.close();
    }
}
