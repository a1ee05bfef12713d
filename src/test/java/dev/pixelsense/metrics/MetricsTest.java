package dev.pixelsense.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Prometheus text exposition format 0.0.4, line by line. */
class MetricsTest {
    /** A sample line: name, optional {labels}, one space, a value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? "
                    + "(-?[0-9.]+(E-?[0-9]+)?|\\+Inf|-Inf|NaN)");

    private final Metrics metrics = new Metrics();

    private List<String> lines() {
        String text = metrics.scrape();
        assertThat(text).endsWith("\n");
        return text.lines().toList();
    }

    @Test
    void should_write_help_and_type_before_the_samples_of_each_family() {
        // given
        Metrics.Counter requests = metrics.counter("app_requests_total", "Requests served.", "route");
        metrics.gauge("app_queue", "Waiting requests.", new String[0], () -> Map.of(List.of(), 3.0));
        requests.inc("/v1/chat");
        requests.add(4, "/v1/chat");
        // when
        List<String> lines = lines();
        // then
        assertThat(lines).containsExactly(
                "# HELP app_requests_total Requests served.",
                "# TYPE app_requests_total counter",
                "app_requests_total{route=\"/v1/chat\"} 5",
                "# HELP app_queue Waiting requests.",
                "# TYPE app_queue gauge",
                "app_queue 3.0");
        assertThat(requests.get("/v1/chat")).isEqualTo(5);
        assertThat(requests.get("/other")).isZero();
    }

    @Test
    void should_write_help_and_type_for_a_family_without_samples_yet() {
        metrics.counter("app_errors_total", "Errors.", "kind");
        assertThat(lines()).containsExactly("# HELP app_errors_total Errors.", "# TYPE app_errors_total counter");
    }

    @Test
    void should_escape_backslash_quote_and_newline_in_label_values() {
        // given
        Metrics.Counter c = metrics.counter("app_total", "Help.", "path", "model");
        c.inc("C:\\dir \"quoted\"", "line1\nline2");
        // when
        List<String> lines = lines();
        // then
        assertThat(lines).contains("app_total{path=\"C:\\\\dir \\\"quoted\\\"\",model=\"line1\\nline2\"} 1");
        assertThat(lines).allSatisfy(l -> assertThat(l.startsWith("#") || SAMPLE.matcher(l).matches())
                .as(l).isTrue());
    }

    @Test
    void should_write_null_label_values_as_empty() {
        Metrics.Counter c = metrics.counter("app_total", "Help.", "model");
        c.inc((String) null);
        assertThat(lines()).contains("app_total{model=\"\"} 1");
        assertThat(c.get((String) null)).isEqualTo(1);
    }

    @Test
    void should_escape_backslash_and_newline_in_help_text() {
        // given help text that would otherwise end the HELP line early
        metrics.counter("app_total", "Counts things.\nSee C:\\docs, \"quoted\" stays.");
        // when
        List<String> lines = lines();
        // then
        assertThat(lines).first().isEqualTo("# HELP app_total Counts things.\\nSee C:\\\\docs, \"quoted\" stays.");
        assertThat(lines).hasSize(2);
    }

    @Test
    void should_refuse_the_wrong_number_of_label_values() {
        Metrics.Counter c = metrics.counter("app_total", "Help.", "a", "b");
        assertThatThrownBy(() -> c.inc("only-one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("app_total takes labels a,b");
        Metrics.Histogram h = metrics.histogram("app_seconds", "Help.", new double[] {1}, "route");
        assertThatThrownBy(() -> h.observe(0.5)).hasMessage("app_seconds takes labels route");
    }

    @Test
    void should_write_cumulative_histogram_buckets_ending_in_inf_then_sum_and_count() {
        // given buckets 0.1, 1, 10 and observations on, between and beyond the bounds
        Metrics.Histogram h = metrics.histogram("app_latency_seconds", "Latency.", new double[] {0.1, 1, 10},
                "route");
        for (double v : new double[] {0.05, 0.1, 0.5, 1, 2, 10, 11, 100}) {
            h.observe(v, "/x");
        }
        // when
        List<String> lines = lines();
        // then (le is inclusive: 0.1 falls in le="0.1", 1 in le="1.0", 10 in le="10.0")
        assertThat(lines).containsExactly(
                "# HELP app_latency_seconds Latency.",
                "# TYPE app_latency_seconds histogram",
                "app_latency_seconds_bucket{route=\"/x\",le=\"0.1\"} 2",
                "app_latency_seconds_bucket{route=\"/x\",le=\"1.0\"} 4",
                "app_latency_seconds_bucket{route=\"/x\",le=\"10.0\"} 6",
                "app_latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 8",
                "app_latency_seconds_sum{route=\"/x\"} 124.65",
                "app_latency_seconds_count{route=\"/x\"} 8");
        assertThat(h.count("/x")).isEqualTo(8);
        assertThat(h.count("/never")).isZero();
        assertThat(lines).allSatisfy(l -> assertThat(l.startsWith("#") || SAMPLE.matcher(l).matches())
                .as(l).isTrue());
    }

    @Test
    void should_write_le_as_the_only_label_of_an_unlabelled_histogram() {
        Metrics.Histogram h = metrics.histogram("app_seconds", "Help.", new double[] {0.5});
        h.observe(0.25);
        assertThat(lines()).containsExactly(
                "# HELP app_seconds Help.",
                "# TYPE app_seconds histogram",
                "app_seconds_bucket{le=\"0.5\"} 1",
                "app_seconds_bucket{le=\"+Inf\"} 1",
                "app_seconds_sum 0.25",
                "app_seconds_count 1");
    }

    @Test
    void should_keep_each_label_set_of_a_histogram_separate_and_consistent() {
        // given
        Metrics.Histogram h = metrics.histogram("app_seconds", "Help.", Metrics.LATENCY_BUCKETS, "route");
        h.observe(0.002, "/a");
        h.observe(200, "/b");
        h.observe(3, "/b");
        // when
        Map<String, Long> buckets = new LinkedHashMap<>();
        for (String l : lines()) {
            if (l.startsWith("app_seconds_bucket{route=\"/b\"")) {
                buckets.put(l.substring(l.indexOf("le=") + 4, l.indexOf("\"}")), Long.parseLong(l.split(" ")[1]));
            }
        }
        // then: one line per bound plus +Inf, never decreasing, +Inf equal to the count
        assertThat(buckets).hasSize(Metrics.LATENCY_BUCKETS.length + 1);
        assertThat(List.copyOf(buckets.values())).isSorted();
        assertThat(buckets).containsEntry("2.5", 0L).containsEntry("5.0", 1L).containsEntry("120.0", 1L)
                .containsEntry("+Inf", 2L);
        assertThat(lines()).contains("app_seconds_count{route=\"/b\"} 2", "app_seconds_sum{route=\"/b\"} 203.0",
                "app_seconds_count{route=\"/a\"} 1");
    }

    @Test
    void should_write_special_float_values_the_way_prometheus_spells_them() {
        metrics.gauge("app_g", "Help.", new String[] {"k"}, () -> {
            Map<List<String>, Double> m = new LinkedHashMap<>();
            m.put(List.of("pos"), Double.POSITIVE_INFINITY);
            m.put(List.of("neg"), Double.NEGATIVE_INFINITY);
            m.put(List.of("nan"), Double.NaN);
            return m;
        });
        assertThat(lines()).contains("app_g{k=\"pos\"} +Inf", "app_g{k=\"neg\"} -Inf", "app_g{k=\"nan\"} NaN");
    }

    @Test
    void should_read_gauges_at_scrape_time() {
        double[] depth = {1};
        metrics.gauge("app_depth", "Help.", new String[] {"model"}, () -> Map.of(List.of("m"), depth[0]));
        assertThat(lines()).contains("app_depth{model=\"m\"} 1.0");
        depth[0] = 7;
        assertThat(lines()).contains("app_depth{model=\"m\"} 7.0");
    }

    @Test
    void should_describe_each_metric_name_once_when_a_family_is_registered_again() {
        // given two registrations of the same counter, as a second HTTP server on one instance does
        Metrics.Counter first = metrics.counter("app_total", "Help.", "route");
        Metrics.Counter second = metrics.counter("app_total", "Help.", "route");
        first.inc("/a");
        second.inc("/a");
        // when
        List<String> lines = lines();
        // then
        assertThat(lines).filteredOn(l -> l.startsWith("# TYPE app_total ")).hasSize(1);
        assertThat(lines).containsExactly("# HELP app_total Help.", "# TYPE app_total counter",
                "app_total{route=\"/a\"} 2");
    }

    @Test
    void should_refuse_a_name_registered_with_another_type_or_labels() {
        metrics.counter("app_x", "Help.", "route");
        assertThatThrownBy(() -> metrics.histogram("app_x", "Help.", new double[] {1}, "route"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app_x");
        assertThatThrownBy(() -> metrics.counter("app_x", "Help.", "model"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app_x");
        assertThatThrownBy(() -> metrics.gauge("app_x", "Help.", new String[0], Map::of))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("app_x");
    }

    @Test
    void should_count_every_increment_from_many_threads() throws Exception {
        // given
        Metrics.Counter c = metrics.counter("app_total", "Help.", "t");
        Metrics.Histogram h = metrics.histogram("app_seconds", "Help.", new double[] {1}, "t");
        int threads = 8;
        int each = 10_000;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        c.inc("x");
                        h.observe(0.5, "x");
                    }
                    return null;
                });
            }
            start.countDown();
        }
        // then
        assertThat(c.get("x")).isEqualTo((long) threads * each);
        assertThat(lines()).contains("app_total{t=\"x\"} 80000", "app_seconds_count{t=\"x\"} 80000",
                "app_seconds_sum{t=\"x\"} 40000.0");
    }
}
