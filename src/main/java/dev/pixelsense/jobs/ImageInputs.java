package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.config.ByteSizes;
import dev.pixelsense.config.JobsConfig;
import dev.pixelsense.config.ServerConfig;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.PayloadTooLargeException;
import dev.pixelsense.util.RemoteFetcher;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code images} of a job's input: each a {@code data:image/...;base64,} URL or, when
 * {@code server.remote_images.enabled}, an {@code http(s)} URL fetched under the same rules as chat
 * images (no private addresses unless allowed, {@code server.remote_images.max_size}). At most
 * {@code jobs.inputs.max_images} images of {@code jobs.inputs.max_image_size} each. Pixel limits are
 * checked when an image is decoded ({@code server.max_image_pixels}).
 */
final class ImageInputs {
    private final JobsConfig.Inputs limits;
    private final ServerConfig.RemoteImages remote;
    private final RemoteFetcher fetcher;

    ImageInputs(JobsConfig.Inputs limits, ServerConfig.RemoteImages remote) {
        this.limits = limits;
        this.remote = remote;
        this.fetcher = new RemoteFetcher(RemoteFetcher.Rules.images(remote));
    }

    /** The images, checked for form, count and size (nothing fetched yet). */
    List<String> check(JsonNode input) {
        if (!input.isObject()) {
            throw new BadRequestException("the input must be an object {images: [...], ...}", "input");
        }
        JsonNode images = input.path("images");
        if (!images.isArray() || images.isEmpty()) {
            throw new BadRequestException("'input.images' must be a non-empty list of data: or http(s) URLs",
                    "input.images");
        }
        if (images.size() > limits.maxImages()) {
            throw new BadRequestException("'input.images' holds " + images.size() + " images; at most "
                    + limits.maxImages() + " per job (jobs.inputs.max_images)", "input.images");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String at = "input.images[" + i + "]";
            JsonNode n = images.get(i);
            String url = n.isTextual() ? n.asText() : n.path("url").asText(null);
            if (url == null) {
                throw new BadRequestException(at + " must be a URL string", at);
            }
            if (url.startsWith("data:")) {
                if (!url.startsWith("data:image/") || !url.contains(";base64,")) {
                    throw new BadRequestException(at + " must be data:image/<type>;base64,<data>", at, "invalid_image_url");
                }
                if ((long) (url.length() - url.indexOf(',') - 1) * 3 / 4 > limits.maxImageBytes()) {
                    throw new PayloadTooLargeException(at + " is larger than " + ByteSizes.format(limits.maxImageBytes())
                            + " (jobs.inputs.max_image_size)", at);
                }
            } else if (url.startsWith("http://") || url.startsWith("https://")) {
                if (!remote.enabled()) {
                    throw new BadRequestException("Image URLs are disabled on this server: send " + at + " inline as "
                            + "a data: URL, or enable server.remote_images", at, "image_url_disabled");
                }
                RemoteFetcher.checkAddress(java.net.URI.create(url), at, RemoteFetcher.Rules.images(remote));
            } else {
                throw new BadRequestException(at + " must be a data: URL or an http(s) URL", at, "invalid_image_url");
            }
            out.add(url);
        }
        return out;
    }

    /** The image as a data URL, fetched first when it is an http(s) URL. */
    String dataUrl(String url, String at) {
        if (url.startsWith("data:")) {
            return url;
        }
        RemoteFetcher.Fetched f = fetcher.fetch(url, at, "image/*");
        if (f.bytes().length > limits.maxImageBytes()) {
            throw new PayloadTooLargeException(at + " is larger than " + ByteSizes.format(limits.maxImageBytes())
                    + " (jobs.inputs.max_image_size)", at);
        }
        return "data:image/any;base64," + Base64.getEncoder().encodeToString(f.bytes());
    }

    /** An optional string of the input, at most {@code max} characters. */
    static String text(JsonNode input, String field, int max) {
        JsonNode n = input.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().length() > max) {
            throw new BadRequestException("'input." + field + "' must be a string of at most " + max + " characters",
                    "input." + field);
        }
        return n.asText();
    }

    /** An optional positive integer of the input. */
    static Integer positive(JsonNode input, String field, int max) {
        JsonNode n = input.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToInt() || n.asInt() < 1 || n.asInt() > max) {
            throw new BadRequestException("'input." + field + "' must be an integer from 1 to " + max, "input." + field);
        }
        return n.asInt();
    }
}
