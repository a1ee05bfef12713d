package dev.pixelsense.util;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.PayloadTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Fetches {@code http(s)} URLs given by clients (remote images, job videos), refusing loopback,
 * private, link-local, carrier-grade NAT, multicast and unspecified addresses (server-side request
 * forgery) unless {@code allowPrivate}. Redirects are followed by hand, at most 3, each target
 * checked again; bodies are capped at {@code maxBytes}. The resolved addresses are checked just
 * before connecting; a DNS answer that changes between the check and the connection (rebinding
 * within milliseconds) is not defended against. Webhook targets go through {@link #checkAddress}
 * too. Thread-safe.
 */
public final class RemoteFetcher {
    private static final int MAX_REDIRECTS = 3;

    /** What was fetched; {@code contentType} as the server declared it (or application/octet-stream). */
    public record Fetched(byte[] bytes, String contentType) {
    }

    /**
     * @param noun what is fetched, in messages and error codes ({@code image}: image_fetch_failed, ...)
     * @param allowKey the config key that allows private addresses, named in the refusal
     * @param sizeKey the config key of the size limit, named when a body is too large
     */
    public record Rules(String noun, boolean allowPrivate, long maxBytes, Duration timeout, String allowKey,
                        String sizeKey) {
        /** The rules of {@code server.remote_images}: chat images and job images alike. */
        public static Rules images(dev.pixelsense.config.ServerConfig.RemoteImages settings) {
            return new Rules("image", settings.allowPrivate(), settings.maxBytes(), settings.timeout(),
                    "server.remote_images.allow_private", "server.remote_images.max_size");
        }
    }

    private final Rules rules;
    private final HttpClient http;

    public RemoteFetcher(Rules rules) {
        this.rules = rules;
        this.http = HttpClient.newBuilder().connectTimeout(rules.timeout()).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** @param at the request field the URL came from, for messages */
    public Fetched fetch(String url, String at, String accept) {
        String noun = rules.noun();
        URI uri = parse(url, at, noun);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkAddress(uri, at, rules);
            HttpResponse<InputStream> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri).timeout(rules.timeout()).header("Accept", accept)
                        .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new BadRequestException("Cannot fetch the " + noun + " at " + at + " (" + uri + "): "
                        + e.getMessage(), at, noun + "_fetch_failed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BadRequestException("Interrupted while fetching the " + noun + " at " + at, at,
                        noun + "_fetch_failed");
            }
            int status = response.statusCode();
            if (status / 100 == 3 && response.headers().firstValue("location").isPresent()) {
                close(response);
                uri = parse(uri.resolve(response.headers().firstValue("location").get()).toString(), at, noun);
                continue;
            }
            try (InputStream in = response.body()) {
                if (status != 200) {
                    throw new BadRequestException("Fetching the " + noun + " at " + at + " (" + uri + ") answered "
                            + status, at, noun + "_fetch_failed");
                }
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, rules.maxBytes() + 1));
                if (bytes.length > rules.maxBytes()) {
                    throw new PayloadTooLargeException("The " + noun + " at " + at + " is larger than "
                            + dev.pixelsense.config.ByteSizes.format(rules.maxBytes()) + " (" + rules.sizeKey() + ")",
                            at);
                }
                return new Fetched(bytes, response.headers().firstValue("content-type")
                        .orElse("application/octet-stream"));
            } catch (IOException e) {
                throw new BadRequestException("Cannot read the " + noun + " at " + at + " (" + uri + "): "
                        + e.getMessage(), at, noun + "_fetch_failed");
            }
        }
        throw new BadRequestException("Too many redirects fetching the " + noun + " at " + at, at,
                noun + "_fetch_failed");
    }

    private static URI parse(String url, String at, String noun) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Invalid " + noun + " URL at " + at, at, "invalid_" + noun + "_url");
        }
    }

    /**
     * Refuses a URL whose host resolves to an internal address, unless the rules allow private ones.
     *
     * @throws BadRequestException ({@code NOUN_url_forbidden}) naming the key that would allow it
     */
    public static void checkAddress(URI uri, String at, Rules rules) {
        if (rules.allowPrivate()) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new BadRequestException("Cannot resolve the " + rules.noun() + " host '" + uri.getHost() + "' at "
                    + at, at, rules.noun() + "_fetch_failed");
        }
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                throw new BadRequestException("Refusing to fetch the " + rules.noun() + " at " + at + ": "
                        + uri.getHost() + " is a loopback, private or link-local address (set " + rules.allowKey()
                        + " to allow)", at, rules.noun() + "_url_forbidden");
            }
        }
    }

    public static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xFE) == 0xFC;
            if (isMappedV4(b)) {
                try {
                    return isInternal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return uniqueLocal;
        }
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        return first == 0 || first == 100 && second >= 64 && second <= 127 || first == 198 && (second == 18 || second == 19);
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // redirect bodies are not needed
        }
    }
}
