package org.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for a test server on this host (names 127.0.0.1 and localhost), made with the JDK's
 * keytool: the PKCS12 key store the server uses and the PEM certificate a client is told to trust.
 *
 * @param keystore the key store, password {@link #PASSWORD}
 * @param pem      the certificate, for {@code tls_ca}
 */
public record TlsFixtures(Path keystore, Path pem) {

    public static final String PASSWORD = "changeit";

    /** Makes {@code name}.p12 and {@code name}.pem in {@code dir}. */
    public static TlsFixtures selfSigned(Path dir, String name) throws Exception {
        Path keystore = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD,
                "-storetype", "PKCS12");
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-file", pem.toString());
        return new TlsFixtures(keystore, pem);
    }

    /** A server-side SSL context with this key. */
    public SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
