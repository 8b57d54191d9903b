package org.tollgate.banner.shield;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tollgate.banner.jail.AddressMatcher;

/**
 * An allow or block list file: one address or CIDR block a line ({@code 192.0.2.7}, {@code 198.51.100.0/24},
 * {@code 2001:db8::/32}), blank lines and {@code #} comments (whole lines or after an entry) allowed. Entries are read
 * with the jails' {@link AddressMatcher} parser (strict IP literals, never a host name), so a list means the same to
 * the shield and to the jails' ignoreip.
 *
 * @param file    the file
 * @param entries the entries, each a canonical address or block with its host bits cleared
 * @param matcher the same entries, to test addresses against
 */
public record AddressList(Path file, List<String> entries, AddressMatcher matcher) {

    /** At most this many entries: each one is a set element or (iptables) a rule. */
    public static final int MAX_ENTRIES = 100_000;

    public AddressList {
        entries = List.copyOf(entries);
    }

    /** No file, no entries. */
    public static AddressList empty() {
        return new AddressList(null, List.of(), AddressMatcher.NONE);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file, the line and the entry, for an entry that is not an address
     *                                  or block, or a file that cannot be read
     */
    public static AddressList read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot read it: " + e.getMessage());
        }
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String entry = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (entry.isEmpty()) {
                continue;
            }
            AddressMatcher one;
            try {
                one = AddressMatcher.parse(List.of(entry));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage());
            }
            if (entries.size() == MAX_ENTRIES) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": more than " + MAX_ENTRIES
                        + " entries");
            }
            entries.add(one.entries().get(0));
        }
        return new AddressList(file, entries, AddressMatcher.parse(entries));
    }

    /** The entries of one family: IPv4 ({@code v6} false) or IPv6. */
    public List<String> entries(boolean v6) {
        return entries.stream().filter(entry -> entry.indexOf(':') >= 0 == v6).toList();
    }
}
