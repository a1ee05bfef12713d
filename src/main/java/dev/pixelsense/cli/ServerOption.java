package dev.pixelsense.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.config.PixelsenseConfig;
import dev.pixelsense.openai.OpenAiJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
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
        HttpRequest request = request(cfg, path).timeout(Duration.ofMinutes(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return talk(base(cfg), false, http -> {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(errorMessage(r.statusCode(), r.body()));
            }
            return OpenAiJson.MAPPER.readTree(r.body());
        });
    }

    /**
     * POSTs {@code json} and hands each server-sent event's data to {@code onData} as it arrives.
     * Returns false, having sent nothing, when no server listens at the config's address and no
     * {@code --url} was given (the caller can then do the work itself); with {@code --url} that is
     * an error.
     */
    boolean streamEvents(String path, byte[] json, Consumer<String> onData) {
        PixelsenseConfig cfg = config.load();
        HttpRequest request = request(cfg, path).header("Content-Type", "application/json")
                .header("Accept", "text/event-stream").POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        Boolean streamed = talk(base(cfg), url == null, http -> {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(refusal(base(cfg), r.statusCode(),
                            lines.lines().reduce("", String::concat).getBytes(StandardCharsets.UTF_8)));
                }
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("data:")) {
                        onData.accept(line.substring(5).strip());
                    }
                }
            }
            return true;
        });
        return streamed != null;
    }

    private interface Exchange<R> {
        R run(HttpClient http) throws IOException, InterruptedException;
    }

    /** Runs an exchange with the server; null if nothing listens and {@code quietIfNoServer}. */
    private static <R> R talk(String base, boolean quietIfNoServer, Exchange<R> exchange) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return exchange.run(http);
        } catch (ConnectException e) {
            if (quietIfNoServer) {
                return null;
            }
            throw new IllegalStateException("no pixelsense server at " + base + " (start one with 'pixelsense serve', "
                    + "or give --url)");
        } catch (IOException e) {
            throw new IllegalStateException("talking to " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** The message of an error answer in OpenAI's shape, else its status. */
    static String errorMessage(int status, byte[] body) {
        String message = openAiMessage(body);
        return message != null ? message : "HTTP " + status;
    }

    private static String openAiMessage(byte[] body) {
        try {
            JsonNode error = OpenAiJson.MAPPER.readTree(body).path("error");
            if (error.path("message").isTextual()) {
                return error.path("message").asText();
            }
        } catch (IOException | RuntimeException notJson) {
            // not ours
        }
        return null;
    }

    /** An error answer from whatever listens at {@code base}: ours carry OpenAI's error shape. */
    private String refusal(String base, int status, byte[] body) {
        String message = openAiMessage(body);
        if (message != null) {
            return message;
        }
        return "HTTP " + status + " from " + base + ": not a pixelsense server? (give --url"
                + (url == null ? ", or --local to run the model in this process)" : ")");
    }

    private String base(PixelsenseConfig cfg) {
        return url != null ? url : "http://" + (cfg.server().host().equals("0.0.0.0") ? "127.0.0.1"
                : cfg.server().host()) + ":" + cfg.server().port();
    }

    private HttpRequest.Builder request(PixelsenseConfig cfg, String path) {
        String key = apiKey != null ? apiKey : System.getenv("PIXELSENSE_API_KEY");
        if (key == null && !cfg.server().apiKeys().isEmpty()) {
            key = cfg.server().apiKeys().getFirst();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(cfg) + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }
}
