package dev.pixelsense.config;

import java.time.Duration;
import java.util.List;

/**
 * The {@code server:} section. Defaults are the secure ones: loopback only, no CORS, a 32 MiB
 * body limit and a 40 MP decoded-pixel limit.
 *
 * @param apiKeys Bearer keys; when empty the API is open to whoever can reach the bind address
 * @param allowedHosts Host header names accepted besides loopback names and the bind address;
 *     {@code *} accepts any (DNS-rebinding protection off)
 * @param corsOrigins origins that browsers may call the API from; empty means none
 */
public record ServerConfig(
        String host,
        int port,
        List<String> apiKeys,
        List<String> allowedHosts,
        List<String> corsOrigins,
        long maxBodyBytes,
        long maxImagePixels,
        RemoteImages remoteImages,
        MemoryBudget memoryBudget) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_BODY = 32L << 20;
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 40_000_000L;

    public ServerConfig {
        apiKeys = List.copyOf(apiKeys);
        allowedHosts = List.copyOf(allowedHosts);
        corsOrigins = List.copyOf(corsOrigins);
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, List.of(), List.of(), List.of(), DEFAULT_MAX_BODY,
                DEFAULT_MAX_IMAGE_PIXELS, RemoteImages.disabled(), MemoryBudget.DEFAULT);
    }

    public ServerConfig withAddress(String newHost, int newPort) {
        return new ServerConfig(newHost, newPort, apiKeys, allowedHosts, corsOrigins, maxBodyBytes, maxImagePixels,
                remoteImages, memoryBudget);
    }

    public ServerConfig withApiKeys(List<String> keys) {
        return new ServerConfig(host, port, keys, allowedHosts, corsOrigins, maxBodyBytes, maxImagePixels,
                remoteImages, memoryBudget);
    }

    /**
     * How much memory loaded local models may use together: a share of the memory available
     * when the server starts ({@code 80%}, the default) or a fixed size ({@code 12GB}).
     */
    public record MemoryBudget(double fraction, long bytes) {
        public static final MemoryBudget DEFAULT = new MemoryBudget(0.8, 0);

        /** The budget in bytes, given the memory available now. */
        public long resolve(long available) {
            return bytes > 0 ? bytes : (long) (available * fraction);
        }

        public String describe(long available) {
            return bytes > 0 ? ByteSizes.formatApprox(bytes) + " (server.memory_budget)"
                    : ByteSizes.formatApprox(resolve(available)) + " (" + Math.round(fraction * 100)
                    + "% of the " + ByteSizes.formatApprox(available) + " available; server.memory_budget)";
        }
    }

    /**
     * Image URLs the server fetches itself ({@code http(s)://} in {@code image_url}).
     *
     * @param allowPrivate also fetch from loopback, private and link-local addresses (SSRF risk)
     */
    public record RemoteImages(boolean enabled, boolean allowPrivate, long maxBytes, Duration timeout) {
        public static RemoteImages disabled() {
            return new RemoteImages(false, false, 20L << 20, Duration.ofSeconds(10));
        }
    }
}
