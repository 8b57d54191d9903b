package org.tollgate.server.cli;

import picocli.CommandLine;

/** The version from the jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = TollgateCommand.class.getPackage().getImplementationVersion();
        return new String[] {"tollgate " + (version == null ? "development build" : version)};
    }
}
