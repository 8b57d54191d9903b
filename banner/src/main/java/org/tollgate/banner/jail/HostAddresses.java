package org.tollgate.banner.jail;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.tollgate.banner.LogFields;
import org.tollgate.normalizer.address.IpLiteral;

/**
 * The host's own addresses, which a jail with {@code ignoreself} never bans. Injectable so tests do not depend on
 * the machine they run on.
 */
@FunctionalInterface
public interface HostAddresses {

    /** 4- and 16-byte addresses. */
    List<byte[]> addresses();

    /** No addresses: nothing is "self". */
    static HostAddresses none() {
        return List::of;
    }

    /** Exactly these IP literals. */
    static HostAddresses of(String... ips) {
        List<byte[]> addresses = new ArrayList<>();
        for (String ip : ips) {
            byte[] address = IpLiteral.toBytes(ip);
            if (address == null) {
                throw new IllegalArgumentException("'" + ip + "' is not an IP address");
            }
            addresses.add(address);
        }
        List<byte[]> fixed = List.copyOf(addresses);
        return () -> fixed;
    }

    /** Every address of every interface, up or down, loopback included; read at each call. */
    static HostAddresses fromNetworkInterfaces() {
        return () -> {
            List<byte[]> addresses = new ArrayList<>();
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        addresses.add(address.getAddress());
                    }
                }
            } catch (SocketException e) {
                LoggerFactory.getLogger(HostAddresses.class).atWarn()
                        .addKeyValue(LogFields.ERROR, e.toString())
                        .log("cannot list the host's network interfaces; ignoreself covers loopback only");
            }
            addresses.add(new byte[] {127, 0, 0, 1});
            byte[] loopback6 = new byte[16];
            loopback6[15] = 1;
            addresses.add(loopback6);
            return addresses;
        };
    }
}
