package org.tollgate.normalizer.message;

import org.tollgate.normalizer.address.Endpoint;
import org.tollgate.normalizer.address.Endpoints;
import org.tollgate.normalizer.address.IpLiteral;

/** Fixed-anchor helpers over a message held in a larger string. */
final class Text {

    private Text() {
    }

    static boolean at(String text, int index, String literal) {
        return text.startsWith(literal, index);
    }

    /** The user part of a SIP URI somewhere in a header value: {@code "1001" <sip:1001@203.0.113.5>;tag=…} gives {@code 1001}. */
    static String uriUser(String header) {
        int[] bounds = uriBounds(header);
        if (bounds == null) {
            return null;
        }
        int at = header.indexOf('@', bounds[0]);
        if (at < 0 || at >= bounds[1]) {
            return null;
        }
        return header.substring(bounds[0], at);
    }

    /** The host of a SIP URI in a header value when it is an IP literal; otherwise null. */
    static Endpoint uriHost(String header) {
        int[] bounds = uriBounds(header);
        if (bounds == null) {
            return null;
        }
        int at = header.indexOf('@', bounds[0]);
        int hostStart = at >= 0 && at < bounds[1] ? at + 1 : bounds[0];
        int hostEnd = hostStart;
        if (hostEnd < bounds[1] && header.charAt(hostEnd) == '[') {
            hostEnd = header.indexOf(']', hostEnd);
            if (hostEnd < 0 || hostEnd >= bounds[1]) {
                return null;
            }
            String ip = IpLiteral.canonical(header, hostStart + 1, hostEnd);
            return ip == null ? null : new Endpoint(ip, Endpoint.NO_PORT);
        }
        while (hostEnd < bounds[1]) {
            char c = header.charAt(hostEnd);
            if (c == ':' || c == ';' || c == '>' || c == '?' || c == ' ') {
                break;
            }
            hostEnd++;
        }
        String ip = IpLiteral.canonical(header, hostStart, hostEnd);
        return ip == null ? null : new Endpoint(ip, Endpoint.NO_PORT);
    }

    /** Start (after the scheme) and end of the SIP URI in a header value: inside {@code <…>} when present. */
    private static int[] uriBounds(String header) {
        int open = header.indexOf('<');
        int from = 0;
        int to = header.length();
        if (open >= 0) {
            int close = header.indexOf('>', open);
            if (close > open) {
                from = open + 1;
                to = close;
            }
        }
        int scheme = header.indexOf("sip:", from);
        int length = 4;
        int secure = header.indexOf("sips:", from);
        if (secure >= 0 && (scheme < 0 || secure < scheme)) {
            scheme = secure;
            length = 5;
        }
        if (scheme < 0 || scheme >= to) {
            return null;
        }
        // The user part may hold ';', '?' and (unescaped in a log) spaces: the URI's own parameters start after the '@'.
        int at = header.indexOf('@', scheme + length);
        int end = to;
        for (int i = at >= 0 && at < to ? at + 1 : scheme + length; i < to; i++) {
            char c = header.charAt(i);
            if (c == '>' || c == ';' || c == ' ' || c == '?') {
                end = i;
                break;
            }
        }
        return new int[] {scheme + length, end};
    }

    /** {@code ip}, {@code ip:port} or {@code [v6]:port} filling {@code text[from, to)}. */
    static Endpoint endpoint(String text, int from, int to) {
        return from < 0 || to < from ? null : Endpoints.parse(text, from, to);
    }

    /** {@code ip:port}, unbracketed {@code v6:port} or bracketed, filling {@code text[from, to)}. */
    static Endpoint endpointWithPort(String text, int from, int to) {
        return from < 0 || to < from ? null : Endpoints.parseWithTrailingPort(text, from, to);
    }

    /**
     * True when {@code text[from, to)}, where a message's fixed text puts an address, could be a redacted or mangled
     * one ({@code 67.228.xxx.xx}, {@code x.x.x.x:5060}): a short run without blanks or quotes. Such a message still
     * gives its event, without a source; anything else there means the line is not that message.
     */
    static boolean isAddressField(String text, int from, int to) {
        if (from < 0 || to <= from || to - from > Finding.MAX_UNREADABLE) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c == '\'' || c == '"') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the address at {@code text[from, to)} carries a port: {@code parsed}'s when it parsed, otherwise whether
     * the raw text ends in one ({@code 67.228.xxx.xx:5060}); the renderings with a port date a line.
     */
    static boolean hasPort(Endpoint parsed, String text, int from, int to) {
        if (parsed != null) {
            return parsed.hasPort();
        }
        int colon = text.lastIndexOf(':', to - 1);
        return colon >= from && org.tollgate.normalizer.text.Digits.all(text, colon + 1, to);
    }

    /** Index just after the first space at or after {@code from}, or -1. */
    static int afterToken(String text, int from) {
        int space = text.indexOf(' ', from);
        return space < 0 ? -1 : space;
    }

    static String substring(String text, int from, int to) {
        if (from < 0 || to < from || to > text.length()) {
            return null;
        }
        return text.substring(from, to);
    }

    /** Text between {@code from} and the closing quote that ends the line ({@code …'} or {@code …'.}). */
    static String quotedTail(String text, int from) {
        int end = text.length();
        if (end > from && text.charAt(end - 1) == '.') {
            end--;
        }
        if (end > from && text.charAt(end - 1) == '\'') {
            end--;
        }
        return end >= from ? text.substring(from, end) : null;
    }
}
