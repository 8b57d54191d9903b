package org.tollgate.banner.config;

/**
 * One value of tollgate.yaml with where it came from: a mapping, a list or a scalar, its dotted key path
 * ({@code jails.sip-auth.findtime}, {@code sources[0].path}) and its 1-based line, so that every section reader can
 * report errors the same way.
 */
public sealed interface ConfigNode permits ConfigMap, ConfigList, ConfigScalar {

    /** Dotted key path; empty for the document root. */
    String path();

    /** The file name as the user knows it, such as {@code tollgate.yaml}. */
    String file();

    /** 1-based line of the key (for mappings and lists) or of the value (for scalars). */
    int line();

    /** "a mapping", "a list" or "a scalar", for messages. */
    String kind();

    /** An error about this node: {@code path: problem (file line N)}. */
    default ConfigException error(String problem) {
        return new ConfigException(path(), problem, file(), line());
    }

    /** This node as a mapping, or an error saying what it was instead. */
    default ConfigMap asMap() {
        if (this instanceof ConfigMap map) {
            return map;
        }
        throw error("expected a mapping of keys to values, was " + describe());
    }

    /** This node as a list, or an error saying what it was instead. */
    default ConfigList asList() {
        if (this instanceof ConfigList list) {
            return list;
        }
        throw error("expected a list, was " + describe());
    }

    /** This node as a scalar, or an error saying what it was instead. */
    default ConfigScalar asScalar() {
        if (this instanceof ConfigScalar scalar) {
            return scalar;
        }
        throw error("expected a single value, was " + describe());
    }

    /** The kind, and for a scalar its value: {@code a list}, {@code '10 minutes'}. */
    default String describe() {
        if (this instanceof ConfigScalar scalar) {
            return Echo.quote(scalar.text());
        }
        return kind();
    }

    /** Path of a child key: {@code jails} + {@code sip-auth} = {@code jails.sip-auth}. */
    static String childPath(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }
}
