package org.tollgate.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void escapesLabelValues() {
        String text = new PrometheusText().family("tollgate_queue_depth", "gauge", "Items waiting.")
                .sample("tollgate_queue_depth", 3, "queue", "output:/var/log/a \"b\"\\c\nd").toString();

        assertThat(text).isEqualTo("# HELP tollgate_queue_depth Items waiting.\n"
                + "# TYPE tollgate_queue_depth gauge\n"
                + "tollgate_queue_depth{queue=\"output:/var/log/a \\\"b\\\"\\\\c\\nd\"} 3\n");
    }

    @Test
    void writesCumulativeHistogramBuckets() {
        Histogram histogram = new Histogram(0.1, 1);
        histogram.observe(0.05);
        histogram.observe(0.5);
        histogram.observe(7);

        assertThat(new PrometheusText().histogram("tollgate_ban_lag_seconds", "Lag.", histogram).toString())
                .isEqualTo("# HELP tollgate_ban_lag_seconds Lag.\n"
                        + "# TYPE tollgate_ban_lag_seconds histogram\n"
                        + "tollgate_ban_lag_seconds_bucket{le=\"0.1\"} 1\n"
                        + "tollgate_ban_lag_seconds_bucket{le=\"1\"} 2\n"
                        + "tollgate_ban_lag_seconds_bucket{le=\"+Inf\"} 3\n"
                        + "tollgate_ban_lag_seconds_sum 7.55\n"
                        + "tollgate_ban_lag_seconds_count 3\n");
    }
}
