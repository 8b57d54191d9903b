package org.tollgate.banner.ami;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.tollgate.normalizer.call.ChannelName;

/**
 * Stops an endpoint through the Asterisk Manager Interface (main/manager.c): logs in (with the MD5 challenge, or the
 * plain secret), puts the endpoint into the AstDB family {@link #FAMILY} (the dialplan refuses its new calls while
 * the key exists; an operator lifts it with {@code database del}), hangs up exactly the channels given, and logs off.
 * One short connection per stop, so nothing is held open. Blocking, with timeouts: run it on a worker.
 *
 * <p>Every value sent is checked first: channel names are endpoint channel names ({@link ChannelName}), the endpoint
 * key is {@code <technology>/<name>} of name characters; nothing with a line end reaches the socket. A login the
 * manager refuses is remembered: stops until the next try report it at once without connecting, and the next try
 * waits {@link #FIRST_RETRY}, doubling with each refusal up to {@link #LONGEST_RETRY}, so a wrong secret never turns
 * into a login loop, and a manager fixed (manager.conf reloaded, Asterisk started) is used again without a restart.
 */
public final class AmiClient {

    /** The AstDB family that holds the endpoints stopped: {@code tollgate-fraud/PJSIP/1007}. */
    public static final String FAMILY = "tollgate-fraud";
    private static final String BANNER = "Asterisk Call Manager/";

    /** The wait before the first try after a refused login. */
    public static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    /** The longest wait between tries. */
    public static final Duration LONGEST_RETRY = Duration.ofHours(1);

    private final AmiSettings settings;
    private final InstantSource clock;
    /** The manager's last refusal, or null since a login it accepted: one value, so readers never see half of one. */
    private final AtomicReference<Refusal> refusal = new AtomicReference<>();
    private final AtomicInteger actionIds = new AtomicInteger();

    /** A refused login: why, when, how many in a row, and when to try again. */
    private record Refusal(String reason, Instant at, int count, Instant retryAt) {

        /** The refusal after {@code previous} (null for the first), with the doubled wait. */
        static Refusal after(Refusal previous, String reason, Instant at) {
            int count = previous == null ? 1 : previous.count + 1;
            Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(count - 1, 20));
            return new Refusal(reason, at, count, at.plus(wait.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait));
        }
    }

    /**
     * What a stop did.
     *
     * @param refused true when it was not made because the manager refused the login (now or before): try again
     *                after {@link #retryAt()}
     */
    public record Outcome(boolean blocked, List<String> hungUp, Map<String, String> failed, String error,
                          boolean refused) {
        public Outcome(boolean blocked, List<String> hungUp, Map<String, String> failed, String error) {
            this(blocked, hungUp, failed, error, false);
        }

        public Outcome {
            hungUp = List.copyOf(hungUp);
            failed = Map.copyOf(failed);
        }

        public boolean ok() {
            return error == null && failed.isEmpty();
        }
    }

    public AmiClient(AmiSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock when a refused login may be tried again is measured on it */
    public AmiClient(AmiSettings settings, InstantSource clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Forgets a refused login (the secret was changed): the next stop tries at once. */
    public void reset() {
        refusal.set(null);
    }

    /** The manager's refusal of the last login, or null. */
    public String refused() {
        Refusal now = refusal.get();
        return now == null ? null : now.reason();
    }

    /** When a login may be tried again after a refusal, or null when the last login was not refused. */
    public Instant retryAt() {
        Refusal now = refusal.get();
        return now == null ? null : now.retryAt();
    }

    /** The refusal in words for the status, or null: who refused, how often, when the next try is. */
    public String problem() {
        Refusal now = refusal.get();
        if (now == null) {
            return null;
        }
        return "manager " + settings.host() + ":" + settings.port() + " refused the login of '" + settings.username()
                + "' (" + now.reason() + ") " + now.count() + (now.count() == 1 ? " time" : " times") + ", last at "
                + now.at() + "; endpoints are not stopped through it; next try at " + now.retryAt();
    }

    /**
     * Stops {@code endpointKey} ({@code PJSIP/1007}): blocks its new calls and hangs up {@code channels}. Never throws
     * for the manager's answers or I/O: the outcome says what happened. Takes no lock: stops run side by side, each on
     * its own connection, so one manager that does not answer holds no other stop (nor {@link #problem()}).
     */
    public Outcome stop(String endpointKey, String reason, List<String> channels) {
        if (!endpointKey(endpointKey)) {
            return new Outcome(false, List.of(), Map.of(), "not an endpoint: " + printable(endpointKey));
        }
        for (String channel : channels) {
            if (!ChannelName.isEndpointChannel(channel)) {
                return new Outcome(false, List.of(), Map.of(), "not an endpoint channel: " + printable(channel));
            }
        }
        String value = reason.replaceAll("[^A-Za-z0-9 .:,;/+_-]", "_");
        Refusal before = refusal.get();
        if (before != null && clock.instant().isBefore(before.retryAt())) {
            return new Outcome(false, List.of(), Map.of(), "the manager refused the login before: " + before.reason()
                    + "; next try at " + before.retryAt(), true);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), settings.timeoutMillis());
            socket.setSoTimeout(settings.timeoutMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            String banner = in.readLine();
            if (banner == null || !banner.startsWith(BANNER)) {
                return new Outcome(false, List.of(), Map.of(), "not an Asterisk manager: " + printable(banner));
            }
            String loginError = login(in, out);
            if (loginError != null) {
                Instant at = clock.instant();
                Refusal now = refusal.updateAndGet(previous -> Refusal.after(previous, loginError, at));
                return new Outcome(false, List.of(), Map.of(), "the manager refused the login: " + loginError
                        + "; next try at " + now.retryAt(), true);
            }
            refusal.set(null);
            Map<String, String> put = send(in, out, "DBPut", "Family", FAMILY, "Key", endpointKey, "Val", value);
            boolean blocked = success(put);
            List<String> hungUp = new ArrayList<>();
            Map<String, String> failed = new LinkedHashMap<>();
            if (!blocked) {
                failed.put(FAMILY + "/" + endpointKey, put.getOrDefault("Message", "DBPut failed"));
            }
            for (String channel : channels) {
                Map<String, String> answer = send(in, out, "Hangup", "Channel", channel);
                if (success(answer)) {
                    hungUp.add(channel);
                } else {
                    failed.put(channel, answer.getOrDefault("Message", "Hangup failed"));
                }
            }
            send(in, out, "Logoff");
            return new Outcome(blocked, hungUp, failed, null);
        } catch (IOException e) {
            return new Outcome(false, List.of(), Map.of(), "manager at " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage());
        }
    }

    /** Logs in; null when the manager accepted, else its message. */
    private String login(BufferedReader in, OutputStream out) throws IOException {
        if (settings.auth() == AmiSettings.Auth.PLAIN) {
            Map<String, String> answer = send(in, out, "Login", "Username", settings.username(), "Secret",
                    settings.secret(), "Events", "off");
            return success(answer) ? null : answer.getOrDefault("Message", "Authentication failed");
        }
        Map<String, String> challenge = send(in, out, "Challenge", "AuthType", "MD5");
        String nonce = challenge.get("Challenge");
        if (!success(challenge) || nonce == null) {
            return challenge.getOrDefault("Message", "no challenge");
        }
        Map<String, String> answer = send(in, out, "Login", "Username", settings.username(), "AuthType", "MD5",
                "Key", md5(nonce + settings.secret()), "Events", "off");
        return success(answer) ? null : answer.getOrDefault("Message", "Authentication failed");
    }

    /** Sends one action with a new ActionID and reads blocks until the response that carries that ActionID. */
    private Map<String, String> send(BufferedReader in, OutputStream out, String action, String... headers)
            throws IOException {
        String id = "tollgate-" + actionIds.incrementAndGet();
        StringBuilder text = new StringBuilder(128).append("Action: ").append(action).append("\r\nActionID: ")
                .append(id).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            text.append(headers[i]).append(": ").append(oneLine(headers[i + 1])).append("\r\n");
        }
        out.write(text.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            Map<String, String> block = readBlock(in);
            if (block == null) {
                throw new IOException("the manager closed the connection during " + action);
            }
            if (id.equals(block.get("ActionID")) && block.containsKey("Response")) {
                return block;
            }
        }
    }

    /** One block of {@code Key: value} lines up to a blank line; null at the end of the stream. */
    private static Map<String, String> readBlock(BufferedReader in) throws IOException {
        Map<String, String> block = new LinkedHashMap<>();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (block.isEmpty()) {
                    continue;
                }
                return block;
            }
            int colon = line.indexOf(": ");
            if (colon > 0 && block.size() < 64) {
                block.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return null;
    }

    private static boolean success(Map<String, String> answer) {
        return "Success".equalsIgnoreCase(answer.get("Response"));
    }

    private static String oneLine(String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an AMI header value holds a line end");
        }
        return value;
    }

    /** {@code PJSIP/1007}: a technology of letters and digits, a slash, a name of name characters. */
    static boolean endpointKey(String key) {
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1 || key.length() > ChannelName.MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < slash; i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        for (int i = slash + 1; i < key.length(); i++) {
            if (!ChannelName.nameChar(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has MD5", e);
        }
    }

    private static String printable(String text) {
        return text == null ? "nothing" : "'" + text.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
