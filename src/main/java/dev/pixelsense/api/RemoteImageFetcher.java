package dev.pixelsense.api;

import dev.pixelsense.config.ServerConfig;
import dev.pixelsense.util.RemoteFetcher;
import java.net.InetAddress;

/**
 * Fetches {@code http(s)} image URLs for chat requests through {@link RemoteFetcher} (the SSRF
 * rules, redirects and size cap live there), under {@code server.remote_images}, and tells the image
 * type from the bytes rather than the declared content type.
 */
final class RemoteImageFetcher {
    record Fetched(byte[] bytes, String mimeType) {
    }

    private final RemoteFetcher fetcher;

    RemoteImageFetcher(ServerConfig.RemoteImages settings) {
        this.fetcher = new RemoteFetcher(RemoteFetcher.Rules.images(settings));
    }

    Fetched fetch(String url, String at) {
        RemoteFetcher.Fetched f = fetcher.fetch(url, at, "image/*");
        var header = dev.pixelsense.vision.ImageProbe.probe(f.bytes(), f.bytes().length);
        return new Fetched(f.bytes(), header != null ? header.mimeType() : f.contentType());
    }

    static boolean isInternal(InetAddress a) {
        return RemoteFetcher.isInternal(a);
    }
}
