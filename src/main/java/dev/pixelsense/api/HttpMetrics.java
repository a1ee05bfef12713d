package dev.pixelsense.api;

import dev.pixelsense.metrics.Metrics;

/** Request counts and latency by route, status and serving model. */
final class HttpMetrics {
    /** Context attribute a handler sets to the id of the model that served the request. */
    static final String MODEL_ATTRIBUTE = "pixelsense.model";

    final Metrics.Counter requests;
    final Metrics.Histogram latency;

    HttpMetrics(Metrics metrics) {
        requests = metrics.counter("pixelsense_http_requests_total", "HTTP requests by route, status and model.",
                "route", "method", "status", "model");
        latency = metrics.histogram("pixelsense_http_request_duration_seconds",
                "HTTP request latency by route (to the last byte for streams).", Metrics.LATENCY_BUCKETS,
                "route", "method");
    }
}
