package dev.pixelsense.api;

import dev.pixelsense.config.ByteSizes;
import dev.pixelsense.config.ServerConfig;
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

/**
 * Fetches {@code http(s)} image URLs for chat requests, refusing loopback, private, link-local,
 * carrier-grade NAT, multicast and unspecified addresses (server-side request forgery) unless
 * {@code allow_private}. Redirects are followed by hand, at most 3, each target checked again.
 * The resolved addresses are checked just before connecting; a DNS answer that changes between
 * the check and the connection (rebinding within milliseconds) is not defended against.
 */
final class RemoteImageFetcher {
    private static final int MAX_REDIRECTS = 3;

    record Fetched(byte[] bytes, String mimeType) {
    }

    private final ServerConfig.RemoteImages settings;
    private final HttpClient http;

    RemoteImageFetcher(ServerConfig.RemoteImages settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Fetched fetch(String url, String at) {
        URI uri = parse(url, at);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            checkAddress(uri, at);
            HttpResponse<InputStream> response;
            try {
                response = http.send(HttpRequest.newBuilder(uri).timeout(settings.timeout())
                        .header("Accept", "image/*").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new BadRequestException("Cannot fetch the image at " + at + " (" + uri + "): " + e.getMessage(),
                        at, "image_fetch_failed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BadRequestException("Interrupted while fetching the image at " + at, at, "image_fetch_failed");
            }
            int status = response.statusCode();
            if (status / 100 == 3 && response.headers().firstValue("location").isPresent()) {
                close(response);
                uri = parse(uri.resolve(response.headers().firstValue("location").get()).toString(), at);
                continue;
            }
            try (InputStream in = response.body()) {
                if (status != 200) {
                    throw new BadRequestException("Fetching the image at " + at + " (" + uri + ") answered " + status,
                            at, "image_fetch_failed");
                }
                byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxBytes() + 1));
                if (bytes.length > settings.maxBytes()) {
                    throw new PayloadTooLargeException("The image at " + at + " is larger than "
                            + ByteSizes.format(settings.maxBytes()) + " (server.remote_images.max_size)", at);
                }
                String type = response.headers().firstValue("content-type").orElse("application/octet-stream");
                var header = dev.pixelsense.vision.ImageProbe.probe(bytes, bytes.length);
                return new Fetched(bytes, header != null ? header.mimeType() : type);
            } catch (IOException e) {
                throw new BadRequestException("Cannot read the image at " + at + " (" + uri + "): " + e.getMessage(),
                        at, "image_fetch_failed");
            }
        }
        throw new BadRequestException("Too many redirects fetching the image at " + at, at, "image_fetch_failed");
    }

    private static URI parse(String url, String at) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Invalid image URL at " + at, at, "invalid_image_url");
        }
    }

    private void checkAddress(URI uri, String at) {
        if (settings.allowPrivate()) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new BadRequestException("Cannot resolve the image host '" + uri.getHost() + "' at " + at, at,
                    "image_fetch_failed");
        }
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                throw new BadRequestException("Refusing to fetch the image at " + at + ": " + uri.getHost()
                        + " is a loopback, private or link-local address (set server.remote_images.allow_private "
                        + "to allow)", at, "image_url_forbidden");
            }
        }
    }

    static boolean isInternal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            boolean uniqueLocal = (b[0] & 0xFE) == 0xFC;
            boolean mappedV4 = isMappedV4(b);
            if (mappedV4) {
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
