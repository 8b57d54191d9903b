package org.tollgate.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small databases in the MaxMind DB format (version 2.0, as published in the MaxMind DB File Format
 * Specification), for tests of the geo and AS enrichment: never a downloaded database. An IPv6 tree with 24-bit
 * records; IPv4 networks sit under {@code ::/96}, where readers look IPv4 addresses up. Values are maps, strings,
 * doubles, unsigned integers and lists, which is all a City or ASN record holds.
 *
 * <pre>
 * new MmdbWriter("GeoLite2-City")
 *     .add("203.0.113.0/24", Map.of("country", Map.of("iso_code", "DE", "names", Map.of("en", "Germany"))))
 *     .write(path);
 * </pre>
 */
public final class MmdbWriter {

    private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
        'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};

    private final String databaseType;
    private final Node root = new Node();
    private final List<Object> records = new ArrayList<>();

    /** @param databaseType the metadata's {@code database_type}, such as {@code GeoLite2-City} or {@code GeoLite2-ASN} */
    public MmdbWriter(String databaseType) {
        this.databaseType = databaseType;
    }

    /** Adds the network {@code cidr} ({@code 192.0.2.0/24}, {@code 2001:db8::/32}) with {@code record}. */
    public MmdbWriter add(String cidr, Map<String, ?> record) {
        int slash = cidr.indexOf('/');
        byte[] address;
        try {
            address = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + cidr, e);
        }
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        byte[] bits = new byte[16];
        if (address.length == 4) {
            System.arraycopy(address, 0, bits, 12, 4);
            prefix += 96;
        } else {
            bits = address;
        }
        records.add(record);
        int data = records.size() - 1;
        Node node = root;
        for (int i = 0; i < prefix - 1; i++) {
            node = node.child(bit(bits, i));
        }
        node.data[bit(bits, prefix - 1)] = data;
        return this;
    }

    /** Writes the database to {@code path}. */
    public void write(Path path) {
        try {
            Files.write(path, bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database file's bytes. */
    public byte[] bytes() {
        List<Node> nodes = new ArrayList<>();
        number(root, nodes);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int[] offsets = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            offsets[i] = data.size();
            encode(records.get(i), data);
        }
        int nodeCount = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node node : nodes) {
            for (int side = 0; side < 2; side++) {
                long value;
                if (node.children[side] != null) {
                    value = node.children[side].index;
                } else if (node.data[side] >= 0) {
                    value = nodeCount + 16L + offsets[node.data[side]];
                } else {
                    value = nodeCount; // no data
                }
                out.write((int) (value >>> 16) & 0xff);
                out.write((int) (value >>> 8) & 0xff);
                out.write((int) value & 0xff);
            }
        }
        out.writeBytes(new byte[16]);
        out.writeBytes(data.toByteArray());
        out.writeBytes(METADATA_MARKER);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("node_count", new Unsigned(nodeCount, 6));
        metadata.put("record_size", new Unsigned(24, 5));
        metadata.put("ip_version", new Unsigned(6, 5));
        metadata.put("database_type", databaseType);
        metadata.put("languages", List.of("en"));
        metadata.put("binary_format_major_version", new Unsigned(2, 5));
        metadata.put("binary_format_minor_version", new Unsigned(0, 5));
        metadata.put("build_epoch", new Unsigned(1_767_225_600L, 9));
        metadata.put("description", Map.of("en", "Tollgate test database"));
        encode(metadata, out);
        return out.toByteArray();
    }

    /** An unsigned integer of a given MaxMind type: 5 (uint16), 6 (uint32) or 9 (uint64). */
    public record Unsigned(long value, int type) {
    }

    private static int bit(byte[] bits, int i) {
        return (bits[i / 8] >> (7 - i % 8)) & 1;
    }

    private static void number(Node node, List<Node> nodes) {
        // Breadth first: every node gets an index below node_count.
        List<Node> queue = new ArrayList<>(List.of(node));
        for (int i = 0; i < queue.size(); i++) {
            Node next = queue.get(i);
            next.index = nodes.size();
            nodes.add(next);
            for (Node child : next.children) {
                if (child != null) {
                    queue.add(child);
                }
            }
        }
    }

    private static void encode(Object value, ByteArrayOutputStream out) {
        if (value instanceof String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            control(2, bytes.length, out);
            out.writeBytes(bytes);
        } else if (value instanceof Double number) {
            control(3, 8, out);
            long bits = Double.doubleToLongBits(number);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (bits >>> shift) & 0xff);
            }
        } else if (value instanceof Integer || value instanceof Long) {
            long number = ((Number) value).longValue();
            encode(new Unsigned(number, number <= 0xffffL ? 5 : number <= 0xffffffffL ? 6 : 9), out);
        } else if (value instanceof Unsigned unsigned) {
            int length = 0;
            for (long rest = unsigned.value; rest != 0; rest >>>= 8) {
                length++;
            }
            control(unsigned.type, length, out);
            for (int i = length - 1; i >= 0; i--) {
                out.write((int) (unsigned.value >>> (8 * i)) & 0xff);
            }
        } else if (value instanceof Map<?, ?> map) {
            control(7, map.size(), out);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                encode(entry.getKey().toString(), out);
                encode(entry.getValue(), out);
            }
        } else if (value instanceof List<?> list) {
            control(11, list.size(), out);
            list.forEach(item -> encode(item, out));
        } else if (value instanceof byte[] raw) {
            out.writeBytes(raw); // a damaged value, for tests of a database that lies
        } else {
            throw new IllegalArgumentException("cannot encode " + value);
        }
    }

    /** A control byte (and extended type byte) for {@code type} and {@code size}. */
    private static void control(int type, int size, ByteArrayOutputStream out) {
        int first = type <= 7 ? type << 5 : 0;
        byte[] sizeBytes;
        if (size < 29) {
            first |= size;
            sizeBytes = new byte[0];
        } else if (size < 29 + 256) {
            first |= 29;
            sizeBytes = new byte[] {(byte) (size - 29)};
        } else if (size < 285 + 65_536) {
            first |= 30;
            int rest = size - 285;
            sizeBytes = new byte[] {(byte) (rest >>> 8), (byte) rest};
        } else {
            first |= 31;
            int rest = size - 65_821;
            sizeBytes = new byte[] {(byte) (rest >>> 16), (byte) (rest >>> 8), (byte) rest};
        }
        out.write(first);
        if (type > 7) {
            out.write(type - 7);
        }
        out.writeBytes(sizeBytes);
    }

    private static final class Node {
        final Node[] children = new Node[2];
        final int[] data = {-1, -1};
        int index;

        Node child(int side) {
            if (children[side] == null) {
                children[side] = new Node();
            }
            return children[side];
        }
    }
}
