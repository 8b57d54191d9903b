package org.tollgate.server.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tollgate.banner.action.FirewallActions;
import org.tollgate.banner.config.ConfigException;
import org.tollgate.banner.ami.AmiSettings;
import org.tollgate.banner.config.AmiSection;
import org.tollgate.banner.config.FraudSection;
import org.tollgate.banner.fraud.FraudSettings;
import org.tollgate.banner.config.ConfigMap;
import org.tollgate.banner.config.TollgateConfigFile;
import org.tollgate.banner.jail.ActionSettings;
import org.tollgate.banner.jail.JailSettings;
import org.tollgate.banner.shield.ShieldSettings;
import org.tollgate.normalizer.call.NumberingPlan;
import org.tollgate.server.adopt.fail2ban.Fail2banFilter;
import org.tollgate.server.custom.CustomFilters;

/**
 * tollgate.yaml, the whole of it, read and validated once: the one reader of the file. Every section is checked at
 * load, the firewall actions' parameters and the files it names (CA certificates) included, so that a bad value is
 * refused before anything is opened or started. Errors name the file as given, the key, the value and the line.
 *
 * <p>The jails and the YAML tree are read by the banner's {@link TollgateConfigFile}; the other sections by the
 * section readers beside this class.
 *
 * @param file              the file as the user named it, for messages
 * @param jails             the enabled and disabled jails by name, in file order
 * @param sources           where lines come from
 * @param statePath         the SQLite state file, or null for state kept in memory only
 * @param outputs           where events go
 * @param reconcileInterval how often every active ban is checked to be in force
 * @param api               the admin API
 * @param enrich            the geo and AS databases events are enriched from
 * @param shield            the network protections in the kernel (off unless enabled)
 * @param fraud             the fraud jails by name, in file order: limits on the calls endpoints make
 * @param ami               the Asterisk Manager Interface fraud jails stop endpoints through, or null
 * @param numbering         how dialled numbers read as destination classes (the built-in plan unless configured)
 * @param customFilters     the jails' own fail2ban filters, run on the lines the catalog does not know
 * @param alerts            each jail's alert actions ({@code mail}, {@code webhook}), by jail name, and each fraud
 *                          jail's by {@link AlertSettings#FRAUD_PREFIX} and its name; an entry that several jails list
 *                          is one {@link AlertSettings} shared by them
 * @param cluster           the cluster this host is a node of, or {@link ClusterSettings#disabled} for none
 */
public record TollgateConfig(String file, Map<String, JailSettings> jails, List<SourceSettings> sources,
                             Path statePath, List<OutputSettings> outputs, Duration reconcileInterval,
                             ApiSettings api, EnrichSettings enrich, ShieldSettings shield,
                             Map<String, FraudSettings> fraud, AmiSettings ami, NumberingPlan numbering,
                             CustomFilters customFilters, Map<String, List<AlertSettings>> alerts,
                             ClusterSettings cluster) {

    public static final List<String> SECTIONS = List.of("sources", "state", "jails", "outputs", "api", "reconcile",
            EnrichSettings.SECTION, ShieldSection.SECTION, FraudSection.SECTION,
            AmiSection.SECTION, NumberingSection.SECTION, ClusterSettings.SECTION);
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(30);

    /**
     * Reads and validates {@code path} (UTF-8).
     *
     * @throws ConfigException for any problem, a missing or unreadable file included, naming the path
     */
    public static TollgateConfig load(Path path) {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new ConfigException("", "cannot read the configuration: it is a directory", name, 0);
        }
        try {
            return read(TollgateConfigFile.load(path));
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "no such file", name, 0);
        } catch (AccessDeniedException e) {
            throw new ConfigException("", "cannot read the configuration: permission denied", name, 0);
        } catch (IOException e) {
            throw new ConfigException("", "cannot read the configuration: " + e.getMessage(), name, 0);
        }
    }

    /** Reads YAML text; {@code file} names it in messages. */
    public static TollgateConfig parse(String yaml, String file) {
        return read(TollgateConfigFile.parse(yaml, file));
    }

    private static TollgateConfig read(TollgateConfigFile tree) {
        ConfigMap root = tree.root();
        root.allowOnly(SECTIONS);
        for (JailSettings jail : tree.jails().values()) {
            jail.actions().forEach(FirewallActions::check);
        }
        for (FraudSettings fraud : tree.fraud().values()) {
            JailSettings jail = fraud.banSource() == null ? null : tree.jails().get(fraud.banSource());
            if (fraud.banSource() != null && (jail == null || jail.source() != JailSettings.Source.FAILURES)) {
                throw root.get(FraudSection.SECTION).orElseThrow().error(fraud.name() + ".ban_source: expected the"
                        + " name of a jail that counts failures (" + String.join(", ", tree.jails().keySet())
                        + "), was '" + fraud.banSource() + "'");
            }
        }
        AmiSettings ami = AmiSection.read(root.get(AmiSection.SECTION).orElse(null));
        for (FraudSettings fraud : tree.fraud().values()) {
            if (fraud.stopCalls() && ami == null) {
                throw root.get(FraudSection.SECTION).orElseThrow().error(fraud.name() + ".stop_calls needs an ami:"
                        + " section (host, port, username, secret_file)");
            }
        }
        CustomFiltersSection filters = CustomFiltersSection.read(root, tree.jails(), Fail2banFilter.FILTER_DIR);
        List<SourceSettings> sources = SourcesSection.read(root);
        Path state = root.get("state").map(node -> {
            ConfigMap map = node.asMap();
            map.allowOnly(List.of("path"));
            String path = map.require("path").asScalar().asString();
            return path.equals(":memory:") ? null : Path.of(path);
        }).orElse(null);
        List<OutputSettings> outputs = OutputsSection.read(root);
        Duration reconcile = root.get("reconcile").map(node -> {
            ConfigMap map = node.asMap();
            map.allowOnly(List.of("interval"));
            return map.require("interval").asScalar().asDuration(false);
        }).orElse(DEFAULT_RECONCILE_INTERVAL);
        return new TollgateConfig(tree.file(), filters.jails(), sources, state, outputs, reconcile,
                ApiSettings.read(root), EnrichSection.read(root), ShieldSection.read(root), tree.fraud(), ami,
                NumberingSection.read(root), filters.filters(),
                alerts(tree.jails(), FraudSection.alerts(root.get(FraudSection.SECTION).orElse(null))),
                ClusterSettings.read(root));
    }

    /**
     * Each jail's alert actions, and each fraud jail's under {@link AlertSettings#FRAUD_PREFIX}, checked; the same
     * entry in several jails is read once and shared.
     */
    private static Map<String, List<AlertSettings>> alerts(Map<String, JailSettings> jails,
                                                           Map<String, List<ActionSettings>> fraud) {
        Map<List<Object>, AlertSettings> distinct = new java.util.HashMap<>();
        Map<String, List<AlertSettings>> byJail = new LinkedHashMap<>();
        for (JailSettings jail : jails.values()) {
            byJail.put(jail.name(), read(jail.alerts(), distinct));
        }
        fraud.forEach((name, entries) -> byJail.put(AlertSettings.FRAUD_PREFIX + name, read(entries, distinct)));
        return java.util.Collections.unmodifiableMap(byJail);
    }

    private static List<AlertSettings> read(List<ActionSettings> entries, Map<List<Object>, AlertSettings> distinct) {
        List<AlertSettings> alerts = new ArrayList<>();
        for (ActionSettings entry : entries) {
            alerts.add(distinct.computeIfAbsent(List.of(entry.type(), entry.params()), key -> AlertSettings.read(entry)));
        }
        return List.copyOf(alerts);
    }

    /** The same configuration with another admin API (tests: a free port). */
    public TollgateConfig withApi(ApiSettings other) {
        return new TollgateConfig(file, jails, sources, statePath, outputs, reconcileInterval, other, enrich, shield,
                fraud, ami, numbering, customFilters, alerts, cluster);
    }

    /** The same configuration in another cluster setting (tests). */
    public TollgateConfig withCluster(ClusterSettings other) {
        return new TollgateConfig(file, jails, sources, statePath, outputs, reconcileInterval, api, enrich, shield,
                fraud, ami, numbering, customFilters, alerts, other);
    }

    /**
     * The effective configuration as key/values for the start-up log, defaults filled in; the API token is never
     * in it (only the file that holds it).
     */
    public Map<String, Object> effective() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file);
        out.put("sources", sources);
        out.put("state", statePath == null ? ":memory:" : statePath.toString());
        List<String> jailSummaries = new ArrayList<>();
        for (JailSettings jail : jails.values()) {
            jailSummaries.add(jail.name() + (jail.enabled() ? "" : " (disabled)") + " maxretry=" + jail.maxretry()
                    + " findtime=" + jail.findtime() + " bantime=" + jail.bantime()
                    + (jail.clusterScope() ? " scope=cluster" : "") + " actions="
                    + jail.actions().stream().map(ActionSettings::type).toList()
                    + (jail.filters().isEmpty() ? "" : " filters=" + jail.filters())
                    + (alerts.getOrDefault(jail.name(), List.of()).isEmpty() ? ""
                    : " alerts=" + alerts.get(jail.name())));
        }
        out.put("jails", jailSummaries);
        out.put("outputs", outputs);
        out.put("reconcile", reconcileInterval.toString());
        out.put("enrich", enrich.toString());
        out.put("shield", shield.enabled() ? shield.backend() + " " + shield.name() + " ports=" + shield.ports()
                + " ladder=" + shield.ladder() : "off");
        out.put("fraud", fraud.values().stream().map(jail -> jail.name() + (jail.enabled() ? "" : " (disabled)")
                + " per=" + jail.per().configName() + " limits=" + jail.limits().size()).toList());
        out.put("ami", ami == null ? "off" : ami.toString());
        out.put("numbering", numbering.equals(NumberingPlan.defaults()) ? "built-in" : numbering.toString());
        out.put("cluster", cluster.toString());
        out.put("api", api.listen() + (api.tokenFile() == null ? " (no token)" : " token_file=" + api.tokenFile()));
        return out;
    }
}
