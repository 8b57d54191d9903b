package org.tollgate.server.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

/**
 * The key material a cluster's nodes share: one file, made once by {@code tollgate cluster init} and copied to every
 * node, holding a private key (EC P-256) and its self-signed certificate, whose subject names the cluster. Both
 * channels between nodes run TLS 1.3 with it, each side showing the certificate and trusting that certificate alone:
 * JGroups (membership and the shared maps) and the Vert.x event bus. A node without the file cannot finish a
 * handshake, so it can neither join, read the shared state, nor send on the event bus.
 *
 * <p>The file is a PKCS#12 key store made by the JDK's own {@code keytool}: no cryptography of Tollgate's own. Its
 * password is the fixed {@value #STORE_PASSWORD} and protects nothing: the file's permissions do (0600, and a file
 * others can read is refused).
 */
public final class ClusterKeys {

    /** The key store's password: fixed and not a secret (the file's permissions are what keep it). */
    public static final String STORE_PASSWORD = "tollgate";
    static final String ALIAS = "tollgate-cluster";
    private static final String TLS = "TLSv1.3";
    private static final long KEYTOOL_SECONDS = 120;

    private final String name;
    private final byte[] store;
    private final X509Certificate certificate;
    private final SSLContext sslContext;

    private ClusterKeys(String name, byte[] store, X509Certificate certificate, SSLContext sslContext) {
        this.name = name;
        this.store = store;
        this.certificate = certificate;
        this.sslContext = sslContext;
    }

    /**
     * Reads the cluster secret at {@code file}, made for the cluster {@code name}.
     *
     * @throws IllegalArgumentException with a one-line message: no such file, readable by others, not a cluster
     *                                  secret, or made for another cluster
     */
    public static ClusterKeys load(Path file, String name) {
        byte[] bytes;
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                throw new IllegalArgumentException("'" + file + "' can be read by other users (mode "
                        + PosixFilePermissions.toString(mode) + "); it is the cluster's secret: chmod 600 " + file);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file '" + file + "'; make one with: tollgate cluster init --name "
                    + name + " " + file + " (once, then copy it to every node)");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read '" + file + "': permission denied");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("cannot read '" + file + "': " + e.getMessage());
        }
        KeyStore keys;
        X509Certificate certificate;
        try {
            keys = KeyStore.getInstance("PKCS12");
            keys.load(new ByteArrayInputStream(bytes), STORE_PASSWORD.toCharArray());
            Certificate cert = keys.getCertificate(ALIAS);
            if (!(cert instanceof X509Certificate x509) || !keys.isKeyEntry(ALIAS)) {
                throw new GeneralSecurityException("no key " + ALIAS);
            }
            certificate = x509;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("'" + file + "' is not a cluster secret made by tollgate cluster init");
        }
        String madeFor = clusterName(certificate);
        if (!name.equals(madeFor)) {
            throw new IllegalArgumentException("'" + file + "' was made for the cluster '" + madeFor + "', not '" + name
                    + "': every node of a cluster has the same name and the same secret");
        }
        try {
            return new ClusterKeys(name, bytes, certificate, sslContext(keys, certificate));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("'" + file + "': cannot use its key: " + e.getMessage());
        }
    }

    /**
     * Makes a new cluster secret for the cluster {@code name} at {@code file} (mode 0600) with the JDK's keytool.
     *
     * @throws IllegalArgumentException when the file exists, or keytool is missing or fails
     */
    public static void create(Path file, String name) {
        if (Files.exists(file)) {
            throw new IllegalArgumentException("'" + file + "' exists; every node must have the same secret, so copy"
                    + " that one, or move it away to make a new one");
        }
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IllegalArgumentException("the JDK's keytool is not at " + keytool + "; run this with a full JDK");
        }
        Path directory = file.toAbsolutePath().getParent();
        Path made = null;
        try {
            Path scratch = Files.createTempDirectory(directory, ".tollgate-cluster-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            made = scratch.resolve("cluster.p12");
            List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                    "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=" + name + ", O=Tollgate cluster", "-validity", "36500",
                    "-storetype", "PKCS12", "-keystore", made.toString(),
                    "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD));
            String output = run(command, Duration.ofSeconds(KEYTOOL_SECONDS));
            if (!Files.isRegularFile(made)) {
                throw new IllegalArgumentException("keytool failed: " + output.replace('\n', ' '));
            }
            Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rw-------"));
            Files.move(made, file, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(scratch);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write '" + file + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while making the cluster secret");
        } finally {
            if (made != null) {
                try {
                    Files.deleteIfExists(made);
                    Files.deleteIfExists(made.getParent());
                } catch (IOException ignored) {
                    // Left behind in the target directory, mode 0700: nothing readable by others.
                }
            }
        }
    }

    /** The cluster the secret was made for. */
    public String name() {
        return name;
    }

    /** For JGroups: TLS 1.3, this node's key, the cluster's certificate the only one trusted. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /**
     * Runs {@code command} (keytool) with nothing on its input; returns what it wrote. Its output is read while the
     * wait runs, so a tool that hangs with its output open is killed at {@code timeout} like one that is silent.
     *
     * @throws IllegalArgumentException when it does not finish within {@code timeout} or exits other than 0
     */
    static String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return "(output not read: " + e.getMessage() + ")";
            }
        });
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalArgumentException(Path.of(command.get(0)).getFileName() + " did not finish within "
                    + timeout.toSeconds() + " s");
        }
        String said;
        try {
            said = output.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            said = "(output not closed after exit)";
        }
        if (process.exitValue() != 0) {
            throw new IllegalArgumentException(Path.of(command.get(0)).getFileName() + " failed: "
                    + said.replace('\n', ' '));
        }
        return said;
    }

    /** The TLS version both channels use. */
    public static String tlsVersion() {
        return TLS;
    }

    /** For the event bus: the key and certificate (as values: the options travel as JSON inside Vert.x). */
    public PfxOptions keyCertOptions() {
        return new PfxOptions().setValue(Buffer.buffer(store)).setPassword(STORE_PASSWORD).setAlias(ALIAS)
                .setAliasPassword(STORE_PASSWORD);
    }

    /** For the event bus: the cluster's certificate, the only one trusted. */
    public PemTrustOptions trustOptions() {
        return new PemTrustOptions().addCertValue(Buffer.buffer(pem(certificate)));
    }

    /** The SHA-256 fingerprint of the certificate, to tell two secrets apart in a log without showing either. */
    public String fingerprint() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                text.append(String.format("%02x", digest[i]));
            }
            return text.toString();
        } catch (GeneralSecurityException e) {
            return "unknown";
        }
    }

    private static SSLContext sslContext(KeyStore keys, X509Certificate certificate) throws GeneralSecurityException {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, STORE_PASSWORD.toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try {
            trusted.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        trusted.setCertificateEntry(ALIAS, certificate);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance(TLS);
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static String clusterName(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        for (String part : subject.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return "";
    }

    private static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the cluster certificate cannot be encoded", e);
        }
    }
}
