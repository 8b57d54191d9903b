package org.tollgate.server.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tollgate.server.cluster.ClusterKeys;
import org.tollgate.server.config.ClusterSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tollgate cluster}: the key material of a cluster of Tollgate nodes. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "The cluster's shared secret (the cluster section of tollgate.yaml).",
        subcommands = {ClusterCommand.Init.class})
final class ClusterCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** {@code tollgate cluster init --name NAME FILE}. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Makes the secret every node of a cluster shares (a key and its certificate, in a PKCS#12",
                "file of mode 0600, made with the JDK's keytool). Run it once, on one host, then copy the file to",
                "every node (scp -p) and name it in cluster.secret_file. A node without it cannot join."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:written", "1:the name is not valid", "2:FILE exists or could not be written"})
    static final class Init implements Callable<Integer> {

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "The cluster's name, as in cluster.name (letters, digits, '-', '_').")
        String name;

        @Parameters(paramLabel = "FILE", description = "Where to write the secret, e.g. /etc/tollgate/cluster.key.")
        Path file;

        @Override
        public Integer call() {
            if (!ClusterSettings.NAME.matcher(name).matches()) {
                System.err.println("tollgate cluster init: --name: expected letters, digits, '-' and '_', starting with"
                        + " a letter or digit, at most 64 characters, was '" + name + "'");
                return 1;
            }
            try {
                ClusterKeys.create(file, name);
            } catch (IllegalArgumentException e) {
                System.err.println("tollgate cluster init: " + e.getMessage());
                return CheckCommand.EXIT_UNREADABLE;
            }
            ClusterKeys keys = ClusterKeys.load(file, name);
            System.out.println(file + ": the secret of cluster " + name + " (fingerprint " + keys.fingerprint() + ")");
            System.err.println("Copy it to every node with its mode kept (scp -p " + file + " pbx2:" + file
                    + "), then set cluster.secret_file: " + file + " in each tollgate.yaml.");
            return 0;
        }
    }
}
