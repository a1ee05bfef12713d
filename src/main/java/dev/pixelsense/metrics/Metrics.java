package dev.pixelsense.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A small Prometheus registry: labelled counters, gauges read at scrape time, and histograms
 * with fixed buckets. Lock-free on the hot path (one map lookup and an adder per update);
 * {@link #scrape()} renders the text exposition format 0.0.4.
 */
public final class Metrics {
    /** Seconds; spans sub-millisecond gateway overhead up to minute-long generations. */
    public static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
        5, 10, 30, 60, 120};

    private final List<Family> families = new ArrayList<>();

    /** A counter; registering the same name, labels and type again returns the first one. */
    public synchronized Counter counter(String name, String help, String... labels) {
        return register(new Counter(name, help, labels));
    }

    /** A histogram; registering the same name, labels and buckets again returns the first one. */
    public synchronized Histogram histogram(String name, String help, double[] buckets, String... labels) {
        return register(new Histogram(name, help, buckets, labels));
    }

    /** A gauge whose samples (label values -> value) are computed when scraped; its name must be new. */
    public synchronized void gauge(String name, String help, String[] labels,
                                   Supplier<Map<List<String>, Double>> samples) {
        register(new Gauge(name, help, labels, samples));
    }

    /**
     * One family per name: a second HELP/TYPE block for a name makes Prometheus reject the whole
     * scrape, and registering again happens (each HTTP server over one instance registers its own).
     */
    @SuppressWarnings("unchecked")
    private <T extends Family> T register(T family) {
        for (Family f : families) {
            if (f.name.equals(family.name)) {
                if (!(f instanceof Gauge) && f.sameShape(family)) {
                    return (T) f;
                }
                throw new IllegalArgumentException("metric " + family.name + " is already registered as a "
                        + f.type() + " with labels " + String.join(",", f.labels));
            }
        }
        families.add(family);
        return family;
    }

    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        List<Family> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(families);
        }
        for (Family f : snapshot) {
            out.append("# HELP ").append(f.name).append(' ');
            escapeHelp(out, f.help);
            out.append('\n');
            out.append("# TYPE ").append(f.name).append(' ').append(f.type()).append('\n');
            f.render(out);
        }
        return out.toString();
    }

    /** In HELP text only backslash and newline are escaped (quotes are literal there). */
    private static void escapeHelp(StringBuilder out, String help) {
        out.append(help.replace("\\", "\\\\").replace("\n", "\\n"));
    }

    /** Prometheus spells the special values +Inf, -Inf and NaN (Java writes Infinity). */
    static String number(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        return Double.toString(v);
    }

    private abstract static sealed class Family permits Counter, Histogram, Gauge {
        final String name;
        final String help;
        final String[] labels;

        Family(String name, String help, String[] labels) {
            this.name = name;
            this.help = help;
            this.labels = labels;
        }

        abstract String type();

        abstract void render(StringBuilder out);

        boolean sameShape(Family other) {
            return getClass() == other.getClass() && Arrays.equals(labels, other.labels);
        }

        List<String> key(String... values) {
            if (values.length != labels.length) {
                throw new IllegalArgumentException(name + " takes labels " + String.join(",", labels));
            }
            List<String> key = new ArrayList<>(values.length);
            for (String v : values) {
                key.add(v == null ? "" : v);
            }
            return key;
        }

        void labels(StringBuilder out, List<String> values, String extraName, String extraValue) {
            if (values.isEmpty() && extraName == null) {
                return;
            }
            out.append('{');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escape(out, values.get(i));
                out.append('"');
            }
            if (extraName != null) {
                if (!values.isEmpty()) {
                    out.append(',');
                }
                out.append(extraName).append("=\"").append(extraValue).append('"');
            }
            out.append('}');
        }

        private static void escape(StringBuilder out, String v) {
            for (int i = 0; i < v.length(); i++) {
                char ch = v.charAt(i);
                switch (ch) {
                    case '\\' -> out.append("\\\\");
                    case '"' -> out.append("\\\"");
                    case '\n' -> out.append("\\n");
                    default -> out.append(ch);
                }
            }
        }
    }

    public static final class Counter extends Family {
        private final Map<List<String>, LongAdder> values = new ConcurrentHashMap<>();

        Counter(String name, String help, String[] labels) {
            super(name, help, labels);
        }

        public void inc(String... labelValues) {
            add(1, labelValues);
        }

        public void add(long amount, String... labelValues) {
            values.computeIfAbsent(key(labelValues), k -> new LongAdder()).add(amount);
        }

        public long get(String... labelValues) {
            LongAdder a = values.get(key(labelValues));
            return a == null ? 0 : a.sum();
        }

        @Override
        String type() {
            return "counter";
        }

        @Override
        void render(StringBuilder out) {
            values.forEach((k, v) -> {
                out.append(name);
                labels(out, k, null, null);
                out.append(' ').append(v.sum()).append('\n');
            });
        }
    }

    public static final class Histogram extends Family {
        private final double[] bounds;
        private final Map<List<String>, Cells> values = new ConcurrentHashMap<>();

        Histogram(String name, String help, double[] bounds, String[] labels) {
            super(name, help, labels);
            this.bounds = bounds.clone();
        }

        public void observe(double value, String... labelValues) {
            Cells c = values.computeIfAbsent(key(labelValues), k -> new Cells(bounds.length));
            int i = 0;
            while (i < bounds.length && value > bounds[i]) {
                i++;
            }
            c.buckets[i].increment();
            c.sum.add(value);
        }

        public long count(String... labelValues) {
            Cells c = values.get(key(labelValues));
            if (c == null) {
                return 0;
            }
            long n = 0;
            for (LongAdder b : c.buckets) {
                n += b.sum();
            }
            return n;
        }

        @Override
        String type() {
            return "histogram";
        }

        @Override
        boolean sameShape(Family other) {
            return super.sameShape(other) && Arrays.equals(bounds, ((Histogram) other).bounds);
        }

        @Override
        void render(StringBuilder out) {
            values.forEach((k, c) -> {
                long cumulative = 0;
                for (int i = 0; i <= bounds.length; i++) {
                    cumulative += c.buckets[i].sum();
                    out.append(name).append("_bucket");
                    labels(out, k, "le", i == bounds.length ? "+Inf" : Double.toString(bounds[i]));
                    out.append(' ').append(cumulative).append('\n');
                }
                out.append(name).append("_sum");
                labels(out, k, null, null);
                out.append(' ').append(number(c.sum.sum())).append('\n');
                out.append(name).append("_count");
                labels(out, k, null, null);
                out.append(' ').append(cumulative).append('\n');
            });
        }

        private static final class Cells {
            final LongAdder[] buckets;
            final DoubleAdder sum = new DoubleAdder();

            Cells(int bounds) {
                buckets = new LongAdder[bounds + 1];
                for (int i = 0; i < buckets.length; i++) {
                    buckets[i] = new LongAdder();
                }
            }
        }
    }

    private static final class Gauge extends Family {
        private final Supplier<Map<List<String>, Double>> samples;

        Gauge(String name, String help, String[] labels, Supplier<Map<List<String>, Double>> samples) {
            super(name, help, labels);
            this.samples = samples;
        }

        @Override
        String type() {
            return "gauge";
        }

        @Override
        void render(StringBuilder out) {
            samples.get().forEach((k, v) -> {
                out.append(name);
                labels(out, k, null, null);
                out.append(' ').append(number(v)).append('\n');
            });
        }
    }
}
