package dev.pixelsense.model;

import dev.pixelsense.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The model manager's metrics, registered once. */
final class ModelMetrics {
    final Metrics.Counter requests;
    final Metrics.Histogram duration;
    final Metrics.Histogram firstToken;
    final Metrics.Counter tokens;
    final Metrics.Counter fallbacks;

    ModelMetrics(Metrics metrics, Supplier<Iterable<ModelEntry>> entries) {
        requests = metrics.counter("pixelsense_model_requests_total",
                "Model calls by the model that was tried and their outcome (ok, error, cancelled).", "model", "outcome");
        duration = metrics.histogram("pixelsense_model_request_duration_seconds",
                "Time from admission to the last token, per serving model.", Metrics.LATENCY_BUCKETS, "model");
        firstToken = metrics.histogram("pixelsense_time_to_first_token_seconds",
                "Time from the request reaching the manager to the first token, per serving model.",
                Metrics.LATENCY_BUCKETS, "model");
        tokens = metrics.counter("pixelsense_tokens_total", "Tokens in (prompt) and out (completion), per model.",
                "model", "direction");
        fallbacks = metrics.counter("pixelsense_fallbacks_total",
                "Requests served by a fallback model instead of the one asked for.", "from", "to");
        metrics.gauge("pixelsense_model_queue_depth", "Requests waiting for a slot, per model.",
                new String[] {"model"}, () -> sample(entries.get(), e -> e.admission.waiting()));
        metrics.gauge("pixelsense_model_in_flight", "Requests running, per model.",
                new String[] {"model"}, () -> sample(entries.get(), e -> e.admission.running()));
    }

    private static Map<List<String>, Double> sample(Iterable<ModelEntry> entries,
                                                    java.util.function.ToIntFunction<ModelEntry> f) {
        Map<List<String>, Double> out = new LinkedHashMap<>();
        for (ModelEntry e : entries) {
            out.put(List.of(e.id()), (double) f.applyAsInt(e));
        }
        return out;
    }
}
