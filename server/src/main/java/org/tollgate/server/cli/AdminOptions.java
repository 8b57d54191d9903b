package org.tollgate.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config}, shared by the commands that talk to the running service. */
final class AdminOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file: api.listen and api.token_file (default: ${DEFAULT-VALUE}).")
    Path config = Path.of("/etc/tollgate/tollgate.yaml");

    AdminClient client() throws AdminClient.Failed {
        return AdminClient.fromConfig(config);
    }
}
