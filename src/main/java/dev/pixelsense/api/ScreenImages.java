package dev.pixelsense.api;

import dev.pixelsense.config.VisionConfig;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.screen.Target;
import dev.pixelsense.vision.ImageEncoder;
import dev.pixelsense.vision.ImagePipeline;
import java.awt.image.BufferedImage;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code screen://monitor/N} and {@code screen://all} in a chat request's {@code image_url}: the live
 * screen, captured when the request arrives and sized like {@code /vision/describe} images
 * ({@code vision.max_edge}, ...). The caller checks the permission first.
 */
final class ScreenImages {
    private static final Pattern URL = Pattern.compile("screen://(?:monitor/(\\d+)|all)");

    private final Supplier<Screen> screen;
    private final ImagePipeline.ResizePolicy policy;

    ScreenImages(Supplier<Screen> screen, VisionConfig vision) {
        this.screen = screen;
        this.policy = new ImagePipeline.ResizePolicy(vision.maxEdge(), vision.maxPixels(), vision.patchMultiple());
    }

    static boolean isScreenUrl(String url) {
        return url.startsWith("screen://");
    }

    /** Captures what {@code url} names and returns it as a JPEG data URL. */
    String capture(String url, String at) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new BadRequestException("Unknown screen URL '" + url + "' at " + at + ": use screen://monitor/N or "
                    + "screen://all", at, "invalid_image_url");
        }
        Target target = m.group(1) == null ? Target.desktop() : Target.monitor(Integer.parseInt(m.group(1)));
        BufferedImage image = ImagePipeline.resize(screen.get().capture(target).toImage(), policy);
        return ImageEncoder.jpegDataUrl(image);
    }
}
