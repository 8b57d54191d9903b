package org.tollgate.normalizer.call;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How dialled digits read as a {@link DestinationClass}: the {@code numbering:} section of tollgate.yaml. A number is
 * read in this order, the first that fits wins:
 *
 * <ol>
 *   <li>an {@link #emergency} number, as dialled or after an {@link #outsidePrefixes outside-line prefix} (9 for an
 *       outside line: {@code 9911});</li>
 *   <li>with an {@link #internationalPrefixes international prefix} (00, 011, +): written in E.164 form
 *       ({@code +44…}); in the PBX's own {@link #countryCode country} it is read as the national number it is;
 *       otherwise the longest {@link #prefixes class prefix} in E.164 form ({@code +881} satellite, {@code +979}
 *       premium), else international;</li>
 *   <li>a {@link #shortCodes short code} (116…, 118…), or {@code *}/{@code #} feature codes;</li>
 *   <li>at most {@link #internalMaxLength} digits: an extension of this PBX;</li>
 *   <li>the longest class prefix in national form ({@code 0900}, {@code 1900}), else national with a
 *       {@link #nationalPrefixes national prefix}, else local.</li>
 * </ol>
 *
 * Anything that is not digits (after an optional {@code +}) is {@link DestinationClass#UNKNOWN}: {@code s},
 * {@code h}, a SIP user name.
 *
 * @param internationalPrefixes what is dialled before a country code
 * @param nationalPrefixes      the trunk prefix before an area code (0 in most of the world, 1 in North America)
 * @param countryCode           the PBX's own country code (49, 1, 44, …), or null when not known
 * @param outsidePrefixes       a digit dialled for an outside line and not part of the number (often 9), or none
 * @param emergency             the emergency numbers, dialled exactly
 * @param shortCodes            prefixes of service numbers longer than extensions ({@code 118} for 118118)
 * @param internalMaxLength     extensions have at most this many digits
 * @param prefixes              prefix to class: E.164 form ({@code +881}) for numbers dialled internationally,
 *                              national form ({@code 0900}) for the others
 */
public record NumberingPlan(List<String> internationalPrefixes, List<String> nationalPrefixes, String countryCode,
                            List<String> outsidePrefixes, Set<String> emergency, List<String> shortCodes,
                            int internalMaxLength, Map<String, DestinationClass> prefixes) {

    public static final List<String> DEFAULT_INTERNATIONAL_PREFIXES = List.of("00", "011", "+");
    public static final List<String> DEFAULT_NATIONAL_PREFIXES = List.of("0");
    public static final List<String> DEFAULT_EMERGENCY = List.of("112", "911", "999", "000", "110", "119");
    public static final List<String> DEFAULT_SHORT_CODES = List.of("116", "118");
    public static final int DEFAULT_INTERNAL_MAX_LENGTH = 5;
    /** Inmarsat (+870–874), GMSS satellite phones (+881) and the international networks (+882, +883). */
    public static final List<String> DEFAULT_SATELLITE = List.of("+870", "+871", "+872", "+873", "+874", "+881",
            "+882", "+883");
    /** ITU's international premium rate (+979), and the common national premium ranges. */
    public static final List<String> DEFAULT_PREMIUM = List.of("+979", "0900", "0906", "0909", "1900", "1976");

    /** The classes whose prefixes the plan takes from configuration ({@link #prefixes}). */
    public static final List<DestinationClass> PREFIX_CLASSES = List.of(DestinationClass.PREMIUM,
            DestinationClass.SATELLITE, DestinationClass.INTERNATIONAL, DestinationClass.NATIONAL,
            DestinationClass.LOCAL, DestinationClass.SHORT_CODE, DestinationClass.EMERGENCY);

    public NumberingPlan {
        internationalPrefixes = sortedLongestFirst(internationalPrefixes);
        nationalPrefixes = sortedLongestFirst(nationalPrefixes);
        outsidePrefixes = sortedLongestFirst(outsidePrefixes);
        emergency = Collections.unmodifiableSet(new TreeSet<>(emergency));
        shortCodes = sortedLongestFirst(shortCodes);
        if (internalMaxLength < 0 || internalMaxLength > 15) {
            throw new IllegalArgumentException("internal_max_length must be from 0 to 15, was " + internalMaxLength);
        }
        if (countryCode != null && !countryCode.matches("[1-9][0-9]{0,2}")) {
            throw new IllegalArgumentException("a country code is 1 to 3 digits, was '" + countryCode + "'");
        }
        Map<String, DestinationClass> given = Map.copyOf(prefixes);
        Map<String, DestinationClass> sorted = new LinkedHashMap<>();
        given.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder())).forEach(p -> sorted.put(p, given.get(p)));
        prefixes = Collections.unmodifiableMap(sorted);
    }

    /** The defaults: 00, 011 and + international, 0 national, the common emergency, premium and satellite numbers. */
    public static NumberingPlan defaults() {
        return new NumberingPlan(DEFAULT_INTERNATIONAL_PREFIXES, DEFAULT_NATIONAL_PREFIXES, null, List.of(),
                Set.copyOf(DEFAULT_EMERGENCY), DEFAULT_SHORT_CODES, DEFAULT_INTERNAL_MAX_LENGTH, defaultPrefixes());
    }

    /** The default class prefixes: {@link #DEFAULT_PREMIUM} and {@link #DEFAULT_SATELLITE}. */
    public static Map<String, DestinationClass> defaultPrefixes() {
        Map<String, DestinationClass> prefixes = new LinkedHashMap<>();
        DEFAULT_PREMIUM.forEach(p -> prefixes.put(p, DestinationClass.PREMIUM));
        DEFAULT_SATELLITE.forEach(p -> prefixes.put(p, DestinationClass.SATELLITE));
        return prefixes;
    }

    /** What {@code dialled} (a dialplan extension, a CDR {@code dst}) is; never null. */
    public Destination classify(String dialled) {
        if (dialled == null || dialled.isEmpty()) {
            return new Destination("", DestinationClass.UNKNOWN);
        }
        if (emergency.contains(dialled)) {
            return new Destination(dialled, DestinationClass.EMERGENCY);
        }
        String number = dialled;
        String outside = startsWithOne(number, outsidePrefixes);
        if (outside != null) {
            number = number.substring(outside.length());
            if (emergency.contains(number)) {
                return new Destination(number, DestinationClass.EMERGENCY);
            }
        }
        String international = startsWithOne(number, internationalPrefixes);
        if (international != null && digits(number, international.length())) {
            String rest = number.substring(international.length());
            String e164 = "+" + rest;
            if (countryCode != null && rest.startsWith(countryCode) && rest.length() > countryCode.length()) {
                String national = (nationalPrefixes.isEmpty() ? "" : nationalPrefixes.get(0))
                        + rest.substring(countryCode.length());
                DestinationClass byPrefix = byPrefix(national);
                return new Destination(e164, byPrefix != null ? byPrefix : DestinationClass.NATIONAL);
            }
            DestinationClass byPrefix = byPrefix(e164);
            return new Destination(e164, byPrefix != null ? byPrefix : DestinationClass.INTERNATIONAL);
        }
        if (!digits(number, 0)) {
            return new Destination(number, featureCode(number) ? DestinationClass.SHORT_CODE : DestinationClass.UNKNOWN);
        }
        if (startsWithOne(number, shortCodes) != null) {
            return new Destination(number, DestinationClass.SHORT_CODE);
        }
        if (number.length() <= internalMaxLength) {
            return new Destination(number, DestinationClass.INTERNAL);
        }
        DestinationClass byPrefix = byPrefix(number);
        if (byPrefix != null) {
            return new Destination(number, byPrefix);
        }
        return new Destination(number, startsWithOne(number, nationalPrefixes) != null
                ? DestinationClass.NATIONAL : DestinationClass.LOCAL);
    }

    private DestinationClass byPrefix(String number) {
        for (Map.Entry<String, DestinationClass> rule : prefixes.entrySet()) {
            if (number.startsWith(rule.getKey()) && number.length() > rule.getKey().length()) {
                return rule.getValue();
            }
        }
        return null;
    }

    /** The first (longest) of {@code prefixes} that {@code number} starts with and is longer than, or null. */
    private static String startsWithOne(String number, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (number.length() > prefix.length() && number.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    private static boolean digits(String text, int from) {
        if (from >= text.length()) {
            return false;
        }
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code *97}, {@code #21#}: digits with at least one star or hash, the PBX's own feature codes. */
    private static boolean featureCode(String text) {
        boolean mark = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '#') {
                mark = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return mark;
    }

    private static List<String> sortedLongestFirst(List<String> values) {
        List<String> sorted = new ArrayList<>(Objects.requireNonNull(values, "prefix list"));
        sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        return List.copyOf(sorted);
    }

    /**
     * A dialled number as the plan read it.
     *
     * @param number the number: E.164 ({@code +44…}) when dialled internationally, else the digits as dialled
     *               without an outside-line prefix
     * @param type   its class
     */
    public record Destination(String number, DestinationClass type) {
    }
}
