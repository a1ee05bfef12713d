package dev.pixelsense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.config.PixelsenseConfig;
import dev.pixelsense.openai.OpenAiJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a command reaches a running server (for what lives in the server process, such as loaded
 * models): {@code --url}, else the config's server address; the key from {@code --api-key},
 * {@code $PIXELSENSE_API_KEY} or the config's first key.
 */
final class ServerOption {
    @Mixin
    ConfigOption config;

    @Option(names = "--url", description = "Server URL (default: from the config, http://127.0.0.1:8080).")
    String url;

    @Option(names = "--api-key", description = "API key (default: $PIXELSENSE_API_KEY, else the config's first).")
    String apiKey;

    /** Sends a request and returns the JSON answer; a failure becomes one readable message. */
    JsonNode call(String method, String path) {
        PixelsenseConfig cfg = config.load();
        String base = url != null ? url : "http://" + (cfg.server().host().equals("0.0.0.0") ? "127.0.0.1"
                : cfg.server().host()) + ":" + cfg.server().port();
        String key = apiKey != null ? apiKey : System.getenv("PIXELSENSE_API_KEY");
        if (key == null && !cfg.server().apiKeys().isEmpty()) {
            key = cfg.server().apiKeys().getFirst();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = OpenAiJson.MAPPER.readTree(r.body());
            if (r.statusCode() != 200) {
                String message = body != null && body.path("error").path("message").isTextual()
                        ? body.path("error").path("message").asText() : "HTTP " + r.statusCode();
                throw new IllegalStateException(message);
            }
            return body;
        } catch (ConnectException e) {
            throw new IllegalStateException("no pixelsense server at " + base + " (start one with 'pixelsense serve', "
                    + "or give --url)");
        } catch (IOException e) {
            throw new IllegalStateException("talking to " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
