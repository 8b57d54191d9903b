package org.tollgate.server.api;

/**
 * Writes the Prometheus text exposition format (version 0.0.4) by hand: a family's HELP and TYPE lines, then its
 * samples. Label values are escaped as the format asks (backslash, double quote, line feed).
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a family: {@code type} is counter, gauge or histogram. */
    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} alternate names and values. */
    PrometheusText sample(String name, long value, String... labels) {
        labels(name, labels);
        out.append(value).append('\n');
        return this;
    }

    PrometheusText sample(String name, double value, String... labels) {
        labels(name, labels);
        out.append(number(value)).append('\n');
        return this;
    }

    /** A family with a single unlabelled sample. */
    PrometheusText single(String name, String type, String help, long value) {
        return family(name, type, help).sample(name, value);
    }

    /** A histogram family: cumulative buckets, {@code +Inf}, sum and count. */
    PrometheusText histogram(String name, String help, Histogram histogram) {
        return histogram(name, help, histogram.bounds(), histogram.cumulativeCounts(), histogram.count(),
                histogram.sum());
    }

    /** A histogram family from its parts: upper bounds, the cumulative count at each, the count and the sum. */
    PrometheusText histogram(String name, String help, double[] bounds, long[] cumulative, long count, double sum) {
        family(name, "histogram", help);
        for (int i = 0; i < bounds.length; i++) {
            sample(name + "_bucket", cumulative[i], "le", number(bounds[i]));
        }
        sample(name + "_bucket", count, "le", "+Inf");
        sample(name + "_sum", sum);
        sample(name + "_count", count);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void labels(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs: " + labels.length + " given");
        }
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ');
    }

    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    private static String number(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
