package org.tollgate.normalizer.address;

import org.tollgate.normalizer.text.Digits;

/**
 * Strict IP literal parsing: dotted-quad IPv4 and RFC 4291 IPv6 text, nothing else. No DNS, no zone ids, no octal or
 * hex IPv4 parts, no leading zeros in an IPv4 part. Every address that reaches a jail or a firewall action has been
 * through here, because log text is written by attackers.
 *
 * <p>Addresses come back in canonical text form (RFC 5952 for IPv6, lower case, longest zero run compressed), and an
 * IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.7}) comes back as plain IPv4, as Asterisk itself prints it.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** Canonical text of {@code text}, or {@code null} when it is not exactly one IP literal. */
    public static String canonical(CharSequence text) {
        return canonical(text, 0, text.length());
    }

    /** Canonical text of {@code text[from, to)}, or {@code null} when that range is not exactly one IP literal. */
    public static String canonical(CharSequence text, int from, int to) {
        if (from < 0 || to > text.length() || from >= to) {
            return null;
        }
        if (isIpv4(text, from, to)) {
            // Already canonical: no leading zeros were accepted.
            return text.subSequence(from, to).toString();
        }
        byte[] bytes = parseIpv6(text, from, to);
        return bytes == null ? null : format(bytes);
    }

    /** The 4 or 16 address bytes of {@code text}, or {@code null} when it is not exactly one IP literal. */
    public static byte[] toBytes(CharSequence text) {
        int to = text.length();
        if (to == 0) {
            return null;
        }
        byte[] v4 = parseIpv4(text, 0, to);
        if (v4 != null) {
            return v4;
        }
        byte[] v6 = parseIpv6(text, 0, to);
        if (v6 != null && isIpv4Mapped(v6)) {
            byte[] mapped = new byte[4];
            System.arraycopy(v6, 12, mapped, 0, 4);
            return mapped;
        }
        return v6;
    }

    /**
     * Why no firewall may ban {@code address} (4 or 16 bytes, as {@link #toBytes} gives them), or {@code null} when
     * it may be banned: the unspecified address ({@code 0.0.0.0/8}, {@code ::}), loopback ({@code 127.0.0.0/8},
     * {@code ::1}), multicast ({@code 224.0.0.0/4}, {@code ff00::/8}) and the broadcast address
     * ({@code 255.255.255.255}) never send a SIP request of their own; a ban of them is refused by the firewall or
     * cuts the host off itself.
     */
    public static String unbannable(byte[] address) {
        if (address.length == 4) {
            int first = address[0] & 0xff;
            if (first == 0) {
                return "the unspecified address (0.0.0.0/8)";
            }
            if (first == 127) {
                return "a loopback address (127.0.0.0/8)";
            }
            if (first >= 224 && first <= 239) {
                return "a multicast address (224.0.0.0/4)";
            }
            if ((address[0] & address[1] & address[2] & address[3]) == (byte) 0xff) {
                return "the broadcast address";
            }
            return null;
        }
        if ((address[0] & 0xff) == 0xff) {
            return "a multicast address (ff00::/8)";
        }
        boolean zeroUpTo15 = true;
        for (int i = 0; i < 15 && zeroUpTo15; i++) {
            zeroUpTo15 = address[i] == 0;
        }
        if (zeroUpTo15 && address[15] == 0) {
            return "the unspecified address (::)";
        }
        if (zeroUpTo15 && address[15] == 1) {
            return "the loopback address (::1)";
        }
        return null;
    }

    /** True when {@code address} may be banned: see {@link #unbannable(byte[])}. */
    public static boolean isBannable(byte[] address) {
        return unbannable(address) == null;
    }

    /** True when {@code text[from, to)} is a dotted-quad IPv4 literal. */
    public static boolean isIpv4(CharSequence text, int from, int to) {
        return parseIpv4Packed(text, from, to) >= 0;
    }

    /** Canonical text of 4 or 16 address bytes; IPv4-mapped IPv6 is written as IPv4. */
    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        if (address.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
        }
        if (isIpv4Mapped(address)) {
            return (address[12] & 0xff) + "." + (address[13] & 0xff) + "." + (address[14] & 0xff) + "." + (address[15] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static boolean isIpv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return (v6[10] & 0xff) == 0xff && (v6[11] & 0xff) == 0xff;
    }

    private static byte[] parseIpv4(CharSequence text, int from, int to) {
        long packed = parseIpv4Packed(text, from, to);
        if (packed < 0) {
            return null;
        }
        return new byte[] {(byte) (packed >>> 24), (byte) (packed >>> 16), (byte) (packed >>> 8), (byte) packed};
    }

    /** The address as an unsigned 32-bit value, or -1. */
    private static long parseIpv4Packed(CharSequence text, int from, int to) {
        if (to - from < 7 || to - from > 15) {
            return -1;
        }
        long packed = 0;
        int parts = 0;
        int i = from;
        while (i < to) {
            int start = i;
            i = Digits.end(text, start, to, 4);
            int digits = i - start;
            int value = digits > 3 ? -1 : Digits.parseInt(text, start, i);
            if (value < 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return -1;
            }
            packed = (packed << 8) | value;
            parts++;
            if (i == to) {
                break;
            }
            if (text.charAt(i) != '.' || parts == 4) {
                return -1;
            }
            i++;
            if (i == to) {
                return -1;
            }
        }
        return parts == 4 ? packed : -1;
    }

    private static byte[] parseIpv6(CharSequence text, int from, int to) {
        if (to - from < 2 || to - from > 45) {
            return null;
        }
        byte[] out = new byte[16];
        int groupCount = 0;
        int compressAt = -1;
        int i = from;
        if (text.charAt(i) == ':') {
            if (text.charAt(i + 1) != ':') {
                return null;
            }
            compressAt = 0;
            i += 2;
            if (i == to) {
                return out;
            }
        }
        while (i < to) {
            if (groupCount == 8) {
                return null;
            }
            int start = i;
            int value = 0;
            while (i < to && i - start < 5) {
                int digit = hexValue(text.charAt(i));
                if (digit < 0) {
                    break;
                }
                value = (value << 4) | digit;
                i++;
            }
            int digits = i - start;
            if (i < to && text.charAt(i) == '.') {
                // Embedded IPv4 in the last 32 bits.
                if (groupCount > 6) {
                    return null;
                }
                long v4 = parseIpv4Packed(text, start, to);
                if (v4 < 0) {
                    return null;
                }
                out[2 * groupCount] = (byte) (v4 >>> 24);
                out[2 * groupCount + 1] = (byte) (v4 >>> 16);
                out[2 * groupCount + 2] = (byte) (v4 >>> 8);
                out[2 * groupCount + 3] = (byte) v4;
                groupCount += 2;
                i = to;
                break;
            }
            if (digits == 0 || digits > 4) {
                return null;
            }
            out[2 * groupCount] = (byte) (value >>> 8);
            out[2 * groupCount + 1] = (byte) value;
            groupCount++;
            if (i == to) {
                break;
            }
            if (text.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < to && text.charAt(i) == ':') {
                if (compressAt >= 0) {
                    return null;
                }
                compressAt = groupCount;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return null;
            }
        }
        if (compressAt < 0) {
            return groupCount == 8 ? out : null;
        }
        if (groupCount == 8) {
            return null;
        }
        int tail = groupCount - compressAt;
        System.arraycopy(out, 2 * compressAt, out, 16 - 2 * tail, 2 * tail);
        for (int z = 2 * compressAt; z < 16 - 2 * tail; z++) {
            out[z] = 0;
        }
        return out;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
