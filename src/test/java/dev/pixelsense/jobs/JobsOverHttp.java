package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.testing.RawHttp;
import java.util.Map;

/** Following a job through the HTTP API in tests. */
final class JobsOverHttp {
    private JobsOverHttp() {
    }

    /**
     * Config text with one vision model {@code vlm} (an OpenAI upstream at {@code baseUrl}) set as
     * {@code vision.model}, followed by {@code more} (other top-level sections).
     */
    static String visionConfig(String baseUrl, String more) {
        return """
                models:
                  - id: vlm
                    backend: openai
                    base_url: %s
                vision:
                  model: vlm
                """.formatted(baseUrl) + more;
    }

    /** Polls {@code GET /v1/jobs/{id}} until the job is succeeded, failed or cancelled (at most 30 s). */
    static JsonNode awaitEnd(int port, String id) throws Exception {
        JsonNode job = null;
        for (int i = 0; i < 1500; i++) {
            job = RawHttp.get(port, "/v1/jobs/" + id, Map.of()).json();
            if (job.path("status").asText().matches("succeeded|failed|cancelled")) {
                return job;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " did not end: " + job.path("status") + " " + job.path("message"));
    }
}
