package org.tollgate.server.enrich;

import com.maxmind.db.CHMCache;
import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.tollgate.normalizer.address.IpLiteral;
import org.tollgate.normalizer.geo.SourceGeo;
import org.tollgate.server.config.EnrichSettings;

/**
 * {@link GeoLookup} from local MaxMind-format databases (GeoLite2/GeoIP2 City or Country, and ASN), read with MaxMind's
 * own reader from memory-mapped files: no network, no lookup service. A database that is missing or unreadable is
 * left out with a {@link #warnings() warning}, and events go on without what it would have added. Answers are kept in
 * a bounded {@link LookupCache}, so an attack in progress costs one map lookup per event.
 */
public final class MaxMindLookup implements GeoLookup, AutoCloseable {

    private final Reader city;
    private final Reader asn;
    private final LookupCache<SourceGeo> cache;
    private final List<String> warnings;
    private final LongAdder errors = new LongAdder();

    private MaxMindLookup(Reader city, Reader asn, int cacheSize, List<String> warnings) {
        this.city = city;
        this.asn = asn;
        this.cache = new LookupCache<>(cacheSize);
        this.warnings = List.copyOf(warnings);
    }

    /** Opens the databases {@code settings} name; never fails: what cannot be opened is a warning. */
    public static MaxMindLookup open(EnrichSettings settings) {
        List<String> warnings = new ArrayList<>();
        Reader city = settings.geoip() == null ? null : open(settings.geoip(), "enrich.geoip", "source.geo", warnings);
        Reader asn = settings.asn() == null ? null : open(settings.asn(), "enrich.asn", "source.as", warnings);
        return new MaxMindLookup(city, asn, settings.cache(), warnings);
    }

    private static Reader open(Path path, String key, String fields, List<String> warnings) {
        String problem;
        try {
            if (Files.isDirectory(path)) {
                problem = "is a directory";
            } else {
                // CHMCache keeps decoded records shared by many networks (a country's names) decoded once.
                return new Reader(path.toFile(), new CHMCache());
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            problem = "no such file";
        } catch (AccessDeniedException e) {
            problem = "permission denied";
        } catch (IOException | RuntimeException e) {
            problem = "not a readable MaxMind database (" + e.getMessage() + ")";
        }
        warnings.add(key + ": " + path + ": " + problem + "; events go on without " + fields + ".*");
        return null;
    }

    /** One sentence per database that could not be opened. */
    public List<String> warnings() {
        return warnings;
    }

    /** Whether any database is open. */
    public boolean active() {
        return city != null || asn != null;
    }

    @Override
    public SourceGeo of(String ip) {
        if (!active()) {
            return null;
        }
        SourceGeo geo = cache.get(ip, this::load);
        return geo == SourceGeo.NONE ? null : geo;
    }

    /** Lookups answered from the cache, and those that read the databases. */
    public long cacheHits() {
        return cache.hits();
    }

    public long cacheMisses() {
        return cache.misses();
    }

    /** Addresses whose answers are kept now. */
    public int cacheSize() {
        return cache.size();
    }

    /** Lookups the databases failed to answer (a damaged record). */
    public long errors() {
        return errors.sum();
    }

    private SourceGeo load(String ip) {
        byte[] bytes = IpLiteral.toBytes(ip);
        if (bytes == null) {
            return SourceGeo.NONE;
        }
        InetAddress address;
        try {
            address = InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return SourceGeo.NONE;
        }
        SourceGeo geo = SourceGeo.NONE;
        try {
            if (city != null) {
                CityRecord place = city.get(address, CityRecord.class);
                if (place != null) {
                    geo = place.geo();
                }
            }
            if (asn != null) {
                AsnRecord network = asn.get(address, AsnRecord.class);
                if (network != null) {
                    geo = geo.withAs(new SourceGeo(null, null, null, null, false, 0, 0,
                            network.number == null ? -1 : network.number, network.organization));
                }
            }
        } catch (IOException | RuntimeException e) {
            errors.increment();
        }
        return geo.isEmpty() ? SourceGeo.NONE : geo;
    }

    @Override
    public void close() {
        for (Reader reader : new Reader[] {city, asn}) {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException e) {
                    // A memory-mapped file: nothing was written, nothing is lost.
                }
            }
        }
    }

    /** The parts of a City (or Country) record that become {@code source.geo.*}; the rest is never decoded. */
    public static final class CityRecord {
        final Place continent;
        final Place country;
        final Place city;
        final Location location;

        @MaxMindDbConstructor
        public CityRecord(@MaxMindDbParameter(name = "continent") Place continent,
                          @MaxMindDbParameter(name = "country") Place country,
                          @MaxMindDbParameter(name = "city") Place city,
                          @MaxMindDbParameter(name = "location") Location location) {
            this.continent = continent;
            this.country = country;
            this.city = city;
            this.location = location;
        }

        SourceGeo geo() {
            boolean located = location != null && location.latitude != null && location.longitude != null;
            return new SourceGeo(country == null ? null : country.isoCode, country == null ? null : country.name(),
                    continent == null ? null : continent.code, city == null ? null : city.name(), located,
                    located ? location.latitude : 0, located ? location.longitude : 0, -1, null);
        }
    }

    /** A continent, country or city: its code and its names by language. */
    public static final class Place {
        final String isoCode;
        final String code;
        final Map<String, String> names;

        @MaxMindDbConstructor
        public Place(@MaxMindDbParameter(name = "iso_code") String isoCode,
                     @MaxMindDbParameter(name = "code") String code,
                     @MaxMindDbParameter(name = "names") Map<String, String> names) {
            this.isoCode = isoCode;
            this.code = code;
            this.names = names;
        }

        String name() {
            return names == null ? null : names.get("en");
        }
    }

    /** Where in the world. */
    public static final class Location {
        final Double latitude;
        final Double longitude;

        @MaxMindDbConstructor
        public Location(@MaxMindDbParameter(name = "latitude") Double latitude,
                        @MaxMindDbParameter(name = "longitude") Double longitude) {
            this.latitude = latitude;
            this.longitude = longitude;
        }
    }

    /** An ASN database record. */
    public static final class AsnRecord {
        final Long number;
        final String organization;

        @MaxMindDbConstructor
        public AsnRecord(@MaxMindDbParameter(name = "autonomous_system_number") Long number,
                         @MaxMindDbParameter(name = "autonomous_system_organization") String organization) {
            this.number = number;
            this.organization = organization;
        }
    }
}
