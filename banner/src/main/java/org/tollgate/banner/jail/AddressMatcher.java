package org.tollgate.banner.jail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.tollgate.normalizer.address.IpLiteral;

/**
 * An immutable set of IPv4 and IPv6 CIDR blocks: a jail's {@code ignoreip}, and the host's own addresses. Entries
 * are parsed with the strict literal parser, never resolved through DNS: a host name in ignoreip is an error, not a
 * lookup at ban time. IPv4-mapped IPv6 ({@code ::ffff:192.0.2.0/120}) is read as the IPv4 block it maps.
 *
 * <p>Lookups scan the blocks: ignore lists are short, and the scan touches only primitive arrays.
 */
public final class AddressMatcher {

    public static final AddressMatcher NONE = new AddressMatcher(List.of(), new int[0], new int[0],
            new long[0], new long[0], new long[0], new long[0]);

    static final String EXPECTED = "expected an IP address or CIDR block such as 192.0.2.0/24 or 2001:db8::/32"
            + " (host names are not looked up)";

    private final List<String> entries;
    private final int[] v4Networks;
    private final int[] v4Masks;
    private final long[] v6NetworksHigh;
    private final long[] v6NetworksLow;
    private final long[] v6MasksHigh;
    private final long[] v6MasksLow;

    private AddressMatcher(List<String> entries, int[] v4Networks, int[] v4Masks, long[] v6NetworksHigh,
                           long[] v6NetworksLow, long[] v6MasksHigh, long[] v6MasksLow) {
        this.entries = List.copyOf(entries);
        this.v4Networks = v4Networks;
        this.v4Masks = v4Masks;
        this.v6NetworksHigh = v6NetworksHigh;
        this.v6NetworksLow = v6NetworksLow;
        this.v6MasksHigh = v6MasksHigh;
        this.v6MasksLow = v6MasksLow;
    }

    /**
     * Parses addresses ({@code 192.0.2.7}, {@code ::1}) and CIDR blocks ({@code 10.0.0.0/8}, {@code 2001:db8::/32}).
     * Host bits set in a block ({@code 127.0.0.1/8}) are cleared, as fail2ban does.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static AddressMatcher parse(Collection<String> entries) {
        Builder builder = new Builder();
        for (String entry : entries) {
            builder.add(entry);
        }
        return builder.build();
    }

    /** The set of exactly these 4- or 16-byte addresses. */
    public static AddressMatcher ofAddresses(Collection<byte[]> addresses) {
        Builder builder = new Builder();
        for (byte[] address : addresses) {
            builder.add(address, address.length * 8, IpLiteral.format(address));
        }
        return builder.build();
    }

    /** True when {@code ip} is an IP literal inside one of the blocks. */
    public boolean matches(String ip) {
        byte[] address = IpLiteral.toBytes(ip);
        return address != null && matches(address);
    }

    /** True when the 4- or 16-byte {@code address} is inside one of the blocks. */
    public boolean matches(byte[] address) {
        if (address.length == 4) {
            int value = (int) readLong(address, 0, 4);
            for (int i = 0; i < v4Networks.length; i++) {
                if ((value & v4Masks[i]) == v4Networks[i]) {
                    return true;
                }
            }
            return false;
        }
        if (address.length != 16) {
            return false;
        }
        long high = readLong(address, 0, 8);
        long low = readLong(address, 8, 8);
        for (int i = 0; i < v6NetworksHigh.length; i++) {
            if ((high & v6MasksHigh[i]) == v6NetworksHigh[i] && (low & v6MasksLow[i]) == v6NetworksLow[i]) {
                return true;
            }
        }
        return false;
    }

    /** Every block of this set and of {@code other}. */
    public AddressMatcher union(AddressMatcher other) {
        if (other.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return other;
        }
        List<String> joined = new ArrayList<>(entries);
        joined.addAll(other.entries);
        return parse(joined);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The blocks in canonical text, such as {@code 127.0.0.0/8} and {@code ::1/128}. */
    public List<String> entries() {
        return entries;
    }

    @Override
    public String toString() {
        return entries.toString();
    }

    private static long readLong(byte[] bytes, int from, int count) {
        long value = 0;
        for (int i = from; i < from + count; i++) {
            value = (value << 8) | (bytes[i] & 0xff);
        }
        return value;
    }

    private static final class Builder {
        private final List<String> entries = new ArrayList<>();
        private int[] v4Networks = new int[4];
        private int[] v4Masks = new int[4];
        private int v4Count;
        private long[] v6 = new long[16]; // network high, network low, mask high, mask low
        private int v6Count;

        void add(String entry) {
            if (entry == null) {
                throw new IllegalArgumentException(EXPECTED + ", was empty");
            }
            String text = entry.trim();
            int slash = text.indexOf('/');
            String addressText = slash < 0 ? text : text.substring(0, slash);
            byte[] address = IpLiteral.toBytes(addressText);
            if (address == null) {
                throw new IllegalArgumentException(EXPECTED + ", was '" + entry + "'");
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String prefixText = text.substring(slash + 1);
                int written = prefixText.matches("[0-9]{1,3}") ? Integer.parseInt(prefixText) : -1;
                // IpLiteral maps ::ffff:a.b.c.d to IPv4, so a prefix written for the IPv6 form loses 96 bits.
                boolean mapped = address.length == 4 && addressText.indexOf(':') >= 0;
                int maxWritten = mapped ? 128 : bits;
                int minWritten = mapped ? 96 : 0;
                if (written < minWritten || written > maxWritten) {
                    throw new IllegalArgumentException(EXPECTED + ", was '" + entry + "' (the prefix length must be "
                            + minWritten + " to " + maxWritten + ")");
                }
                prefix = mapped ? written - 96 : written;
            }
            add(address, prefix, null);
        }

        void add(byte[] address, int prefix, String label) {
            if (address.length == 4) {
                int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
                int network = (int) readLong(address, 0, 4) & mask;
                if (v4Count == v4Networks.length) {
                    v4Networks = Arrays.copyOf(v4Networks, v4Count * 2);
                    v4Masks = Arrays.copyOf(v4Masks, v4Count * 2);
                }
                v4Networks[v4Count] = network;
                v4Masks[v4Count] = mask;
                v4Count++;
                byte[] masked = {(byte) (network >>> 24), (byte) (network >>> 16), (byte) (network >>> 8), (byte) network};
                entries.add(IpLiteral.format(masked) + "/" + prefix);
            } else if (address.length == 16) {
                long maskHigh = prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
                long maskLow = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
                long high = readLong(address, 0, 8) & maskHigh;
                long low = readLong(address, 8, 8) & maskLow;
                if ((v6Count + 1) * 4 > v6.length) {
                    v6 = Arrays.copyOf(v6, v6.length * 2);
                }
                v6[v6Count * 4] = high;
                v6[v6Count * 4 + 1] = low;
                v6[v6Count * 4 + 2] = maskHigh;
                v6[v6Count * 4 + 3] = maskLow;
                v6Count++;
                byte[] masked = new byte[16];
                for (int i = 0; i < 8; i++) {
                    masked[i] = (byte) (high >>> (56 - 8 * i));
                    masked[8 + i] = (byte) (low >>> (56 - 8 * i));
                }
                entries.add(IpLiteral.format(masked) + "/" + prefix);
            } else {
                throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length
                        + (label == null ? "" : " (" + label + ")"));
            }
        }

        AddressMatcher build() {
            if (entries.isEmpty()) {
                return NONE;
            }
            long[] networksHigh = new long[v6Count];
            long[] networksLow = new long[v6Count];
            long[] masksHigh = new long[v6Count];
            long[] masksLow = new long[v6Count];
            for (int i = 0; i < v6Count; i++) {
                networksHigh[i] = v6[i * 4];
                networksLow[i] = v6[i * 4 + 1];
                masksHigh[i] = v6[i * 4 + 2];
                masksLow[i] = v6[i * 4 + 3];
            }
            return new AddressMatcher(entries, Arrays.copyOf(v4Networks, v4Count), Arrays.copyOf(v4Masks, v4Count),
                    networksHigh, networksLow, masksHigh, masksLow);
        }
    }
}
