package dev.pixelsense.api;

import dev.pixelsense.config.ServerConfig;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.PayloadTooLargeException;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.ContentPart;
import dev.pixelsense.openai.MessageContent;
import dev.pixelsense.vision.ImageProbe;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Checks every image of a chat request before any model sees it: {@code data:} URLs must hold a
 * known image type whose header-declared pixel count is within {@code server.max_image_pixels};
 * {@code http(s)} URLs are fetched only when {@code server.remote_images.enabled}, through
 * {@link RemoteImageFetcher}, and inlined as data URLs (runners cannot fetch). Only the header is
 * decoded here: pixels are never decoded on this path.
 */
final class ImageGuard {
    private static final Set<String> TYPES = Set.of("image/png", "image/jpeg", "image/jpg", "image/webp", "image/gif",
            "image/bmp");
    /** Base64 characters decoded to find a header; JPEG may need more (EXIF before the frame). */
    private static final int PROBE_CHARS = 4 * 1024;

    private final long maxPixels;
    private final RemoteImageFetcher fetcher;

    ImageGuard(ServerConfig server) {
        this.maxPixels = server.maxImagePixels();
        this.fetcher = server.remoteImages().enabled() ? new RemoteImageFetcher(server.remoteImages()) : null;
    }

    /** Turns a {@code screen://} URL into a data URL, checking the caller's permission first. */
    @FunctionalInterface
    interface ScreenSource {
        String capture(String url, String at);
    }

    /** The request with every image checked and remote ones inlined. */
    ChatRequest check(ChatRequest request) {
        return check(request, (url, at) -> {
            throw new BadRequestException("screen:// images are not available here", at, "invalid_image_url");
        });
    }

    /** As {@link #check(ChatRequest)}, with {@code screen://} URLs captured through {@code screen}. */
    ChatRequest check(ChatRequest request, ScreenSource screen) {
        if (!request.hasImages()) {
            return request;
        }
        List<ChatMessage> messages = new ArrayList<>(request.messages().size());
        boolean changed = false;
        for (int i = 0; i < request.messages().size(); i++) {
            ChatMessage m = request.messages().get(i);
            if (!(m.content() instanceof MessageContent.Parts parts) || !m.hasImages()) {
                messages.add(m);
                continue;
            }
            List<ContentPart> out = new ArrayList<>(parts.parts().size());
            for (int j = 0; j < parts.parts().size(); j++) {
                ContentPart p = parts.parts().get(j);
                if (p instanceof ContentPart.ImagePart image) {
                    String at = "messages[" + i + "].content[" + j + "].image_url.url";
                    String url = ScreenImages.isScreenUrl(image.url()) ? screen.capture(image.url(), at)
                            : checked(image.url(), at);
                    if (!url.equals(image.url())) {
                        changed = true;
                        p = new ContentPart.ImagePart(new ContentPart.ImageUrl(url, image.imageUrl().detail()));
                    }
                }
                out.add(p);
            }
            messages.add(changed ? new ChatMessage(m.role(), new MessageContent.Parts(out), m.name(), m.toolCalls(),
                    m.toolCallId(), m.refusal()) : m);
        }
        return changed ? request.withMessages(messages) : request;
    }

    private String checked(String url, String at) {
        if (url.startsWith("data:")) {
            checkDataUrl(url, at);
            return url;
        }
        if (url.startsWith("http://") || url.startsWith("https://")) {
            if (fetcher == null) {
                throw new BadRequestException("Image URLs are disabled on this server: send the image inline as a "
                        + "data: URL, or enable server.remote_images", at, "image_url_disabled");
            }
            RemoteImageFetcher.Fetched image = fetcher.fetch(url, at);
            checkPixels(ImageProbe.probe(image.bytes(), image.bytes().length), at, url);
            return "data:" + image.mimeType() + ";base64," + Base64.getEncoder().encodeToString(image.bytes());
        }
        throw new BadRequestException("Unsupported image URL scheme at " + at + ": use a data: URL (or http(s):// "
                + "when server.remote_images is enabled)", at, "invalid_image_url");
    }

    private void checkDataUrl(String url, String at) {
        int comma = url.indexOf(',');
        String meta = comma < 0 ? "" : url.substring(5, comma);
        if (comma < 0 || !meta.endsWith(";base64")) {
            throw new BadRequestException("Invalid image data URL at " + at
                    + ": expected data:image/<type>;base64,<data>", at, "invalid_image_url");
        }
        String mime = meta.substring(0, meta.length() - ";base64".length()).toLowerCase(java.util.Locale.ROOT);
        if (!TYPES.contains(mime)) {
            throw new BadRequestException("Unsupported image type '" + mime + "' at " + at
                    + ": send PNG, JPEG, WebP, GIF or BMP", at, "invalid_image_format");
        }
        int dataChars = url.length() - comma - 1;
        byte[] head = decode(url, comma + 1, Math.min(dataChars, PROBE_CHARS), at);
        ImageProbe.Header header = ImageProbe.probe(head, head.length);
        if (header == null && ImageProbe.looksLikeJpeg(head, head.length) && dataChars > PROBE_CHARS) {
            head = decode(url, comma + 1, dataChars, at);
            header = ImageProbe.probe(head, head.length);
        }
        checkPixels(header, at, mime);
    }

    private void checkPixels(ImageProbe.Header header, String at, String what) {
        if (header == null) {
            throw new BadRequestException("The image at " + at + " is not a readable PNG, JPEG, WebP, GIF or BMP ("
                    + (what.length() > 80 ? what.substring(0, 80) + "..." : what) + ")", at, "invalid_image");
        }
        if (header.pixels() > maxPixels) {
            throw new PayloadTooLargeException(String.format(
                    "The image at %s is %dx%d = %.1f megapixels, over this server's limit of %.1f megapixels "
                            + "(server.max_image_pixels); downscale it first", at, header.width(), header.height(),
                    header.pixels() / 1e6, maxPixels / 1e6), at);
        }
    }

    private static byte[] decode(String url, int from, int chars, String at) {
        int usable = chars - chars % 4;
        try {
            return Base64.getDecoder().decode(url.substring(from, from + usable));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("The image data URL at " + at + " is not valid base64", at,
                    "invalid_image_url");
        }
    }
}
