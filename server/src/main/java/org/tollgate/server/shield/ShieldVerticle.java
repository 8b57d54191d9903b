package org.tollgate.server.shield;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.action.ActionException;
import org.tollgate.banner.enforce.FirewallWatch;
import org.tollgate.banner.enforce.ReconcileSchedule;
import org.tollgate.banner.jail.AddressMatcher;
import org.tollgate.banner.shield.AddressList;
import org.tollgate.banner.shield.Shield;
import org.tollgate.banner.shield.ShieldSettings;
import org.tollgate.banner.shield.ShieldStatus;
import org.tollgate.server.LogFields;

/**
 * Keeps the {@link Shield} in force: applies it at start, reloads the allow and block lists when their files change,
 * and puts it back when the firewall lost it, with the same mechanisms as the bans: the firewall's own report of a
 * deleted table ({@link FirewallWatch}, {@code nft monitor}) and the periodic check, one at a time
 * ({@link ReconcileSchedule}). Every firewall call runs on a worker, in order; the allow list goes to the jails too
 * ({@code allowListed}), so an allowed source is never banned.
 */
public final class ShieldVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(ShieldVerticle.class);
    /** How often the list files are looked at for a change (size and modification time). */
    static final long LIST_CHECK_MILLIS = 1_000;

    private final ShieldSettings settings;
    private final Shield shield;
    private final Duration reconcileInterval;
    private final Consumer<AddressMatcher> allowListed;
    private final InstantSource clock;
    private AddressList allow = AddressList.empty();
    private AddressList block = AddressList.empty();
    private FileStamp allowStamp;
    private FileStamp blockStamp;
    private ReconcileSchedule reconciles;
    private FirewallWatch watch;
    private long reconcileTimer = -1;
    private long listTimer = -1;
    private volatile boolean off;
    private volatile long reapplied;
    private volatile ShieldReading lastReading;

    /** On the system clock. */
    public ShieldVerticle(ShieldSettings settings, Shield shield, Duration reconcileInterval,
                          Consumer<AddressMatcher> allowListed) {
        this(settings, shield, reconcileInterval, allowListed, Clock.systemUTC());
    }

    /**
     * @param allowListed told the allow list's addresses at start and after each reload (the jails' extra ignoreip)
     * @param clock       the service's clock: when each reading was made
     */
    public ShieldVerticle(ShieldSettings settings, Shield shield, Duration reconcileInterval,
                          Consumer<AddressMatcher> allowListed, InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.shield = Objects.requireNonNull(shield, "shield");
        this.reconcileInterval = Objects.requireNonNull(reconcileInterval, "reconcileInterval");
        this.allowListed = Objects.requireNonNull(allowListed, "allowListed");
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            allowStamp = FileStamp.of(settings.allow());
            blockStamp = FileStamp.of(settings.block());
            allow = settings.allow() == null ? AddressList.empty() : AddressList.read(settings.allow());
            block = settings.block() == null ? AddressList.empty() : AddressList.read(settings.block());
            allowListed.accept(allow.matcher());
            shield.apply(allow, block);
            // Checked in force after it is made, as a ban is.
            List<String> problems = new ArrayList<>(shield.problems());
            shield.missing().forEach(what -> problems.add("not in force after it was applied: " + what));
            readForMetrics();
            return problems;
        }).map(problems -> {
            LOG.atInfo().addKeyValue(LogFields.SHIELD, shield.name()).addKeyValue(LogFields.ALLOWED, allow.entries().size())
                    .addKeyValue(LogFields.BLOCKED, block.entries().size()).log("shield in force");
            problems.forEach(problem -> LOG.atWarn().addKeyValue(LogFields.SHIELD, shield.name())
                    .addKeyValue(LogFields.REASON, problem).log("shield incomplete"));
            reconciles = new ReconcileSchedule(ReconcileSchedule.DEFAULT_QUIET,
                    (delay, task) -> vertx.setTimer(delay.toMillis(), id -> task.run()), this::reconcile);
            reconcileTimer = vertx.setPeriodic(reconcileInterval.toMillis(), id -> reconciles.periodic());
            listTimer = vertx.setPeriodic(LIST_CHECK_MILLIS, id -> checkLists());
            Context context = vertx.getOrCreateContext();
            watch = new FirewallWatch(shield.monitor().map(List::of).orElse(List.of()),
                    reason -> context.runOnContext(nothing -> {
                        if (!off) {
                            reconciles.lost(reason);
                        }
                    }));
            watch.start();
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        if (watch != null) {
            watch.close();
        }
        vertx.cancelTimer(reconcileTimer);
        vertx.cancelTimer(listTimer);
        // The shield stays in the kernel: a restart must not leave the PBX open meanwhile.
        return Future.succeededFuture();
    }

    /** The shield as the firewall shows it now. */
    public Future<ShieldStatus> status() {
        return vertx.executeBlocking(() -> read().status());
    }

    /** The shield as last read (at start, at each check in force, at each {@link #status()}); never waits. */
    public Optional<ShieldReading> lastReading() {
        return Optional.ofNullable(lastReading);
    }

    /** As {@link #read()}, for the metrics alone: a failed read keeps the last reading and is said at debug. */
    private void readForMetrics() {
        try {
            read();
        } catch (ActionException e) {
            LOG.atDebug().addKeyValue(LogFields.SHIELD, shield.name()).addKeyValue(LogFields.REASON, e.getMessage())
                    .log("shield counters not read");
        }
    }

    /** Reads the shield's status from the firewall (on a worker) and keeps it as {@link #lastReading()}. */
    private ShieldReading read() throws ActionException {
        ShieldReading reading = new ShieldReading(shield.status(), clock.instant(), reapplied);
        lastReading = reading;
        return reading;
    }

    /** Removes the shield and stops keeping it in force, until the service starts again. */
    public Future<Void> off() {
        off = true;
        vertx.cancelTimer(reconcileTimer);
        vertx.cancelTimer(listTimer);
        if (watch != null) {
            watch.close();
        }
        return vertx.executeBlocking(() -> {
            shield.remove();
            LOG.atWarn().addKeyValue(LogFields.SHIELD, shield.name()).log("shield removed by hand; it stays off until"
                    + " the service starts again");
            return null;
        });
    }

    /** Whether a firewall monitor process runs now. */
    public boolean watching() {
        return watch != null && watch.running() > 0;
    }

    /** Times the shield was put back after the firewall lost it. */
    public long reapplied() {
        return reapplied;
    }

    private void reconcile(Set<String> reasons) {
        vertx.executeBlocking(() -> {
            if (off) {
                return List.<String>of();
            }
            List<String> missing = shield.missing();
            if (!missing.isEmpty()) {
                shield.apply(allow, block);
                reapplied++;
            }
            readForMetrics();
            return missing;
        }).onComplete(result -> {
            reconciles.finished();
            if (result.failed()) {
                LOG.atError().addKeyValue(LogFields.SHIELD, shield.name()).addKeyValue(LogFields.REASON,
                        result.cause().getMessage()).log("shield could not be put back");
            } else if (!result.result().isEmpty()) {
                LOG.atWarn().addKeyValue(LogFields.SHIELD, shield.name())
                        .addKeyValue(LogFields.REASON, reasons.isEmpty() ? "periodic check" : String.join(", ", reasons))
                        .addKeyValue(LogFields.MISSING, String.join(", ", result.result()))
                        .log("shield was not in force; re-applied");
            }
        });
    }

    /** Reloads a list whose file changed; a list that cannot be read keeps the one in force, with a warning. */
    private void checkLists() {
        FileStamp allowNow = FileStamp.of(settings.allow());
        FileStamp blockNow = FileStamp.of(settings.block());
        if (Objects.equals(allowNow, allowStamp) && Objects.equals(blockNow, blockStamp)) {
            return;
        }
        allowStamp = allowNow;
        blockStamp = blockNow;
        vertx.executeBlocking(() -> {
            List<String> problems = new ArrayList<>();
            AddressList newAllow = read(settings.allow(), allow, problems);
            AddressList newBlock = read(settings.block(), block, problems);
            shield.reloadLists(newAllow, newBlock);
            allow = newAllow;
            block = newBlock;
            allowListed.accept(allow.matcher());
            return problems;
        }).onComplete(result -> {
            if (result.failed()) {
                LOG.atError().addKeyValue(LogFields.SHIELD, shield.name())
                        .addKeyValue(LogFields.REASON, result.cause().getMessage()).log("lists not reloaded");
                return;
            }
            result.result().forEach(problem -> LOG.atWarn().addKeyValue(LogFields.REASON, problem)
                    .log("list not reloaded; the one in force stays"));
            LOG.atInfo().addKeyValue(LogFields.SHIELD, shield.name()).addKeyValue(LogFields.ALLOWED, allow.entries().size())
                    .addKeyValue(LogFields.BLOCKED, block.entries().size()).log("allow and block lists reloaded");
        });
    }

    private static AddressList read(Path file, AddressList current, List<String> problems) {
        if (file == null) {
            return AddressList.empty();
        }
        try {
            return AddressList.read(file);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return current;
        }
    }

    /** A file's size and modification time, or null when there is no file. */
    private record FileStamp(long size, long modified, Object key) {
        static FileStamp of(Path file) {
            if (file == null) {
                return null;
            }
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis(),
                        attributes.fileKey());
            } catch (IOException e) {
                return new FileStamp(-1, -1, null);
            }
        }
    }
}
