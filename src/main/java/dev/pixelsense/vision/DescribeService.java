package dev.pixelsense.vision;

import dev.pixelsense.config.VisionConfig;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.model.CallContext;
import dev.pixelsense.model.ModelManager;
import dev.pixelsense.model.Served;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.ContentPart;
import dev.pixelsense.screen.Frame;
import dev.pixelsense.screen.Rect;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.screen.Target;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Looks at the screen or an image and answers: describe tasks ask the configured vision model
 * through the model manager (so fallback, queues and metrics apply), text tasks run the on-device
 * OCR. Every image goes through the {@link ImagePipeline}. Thread-safe; calls block.
 */
public final class DescribeService {
    static final String SCREEN_PROMPT = "Describe what is on this screen: the applications and windows that are "
            + "open, the main content, and anything that asks for attention (dialogs, errors, notifications).";
    static final String IMAGE_PROMPT = "Describe this image.";

    /** Reads text off an image; the OCR engine behind read_text and find. */
    @FunctionalInterface
    public interface TextReader {
        List<DescribeResult.TextLine> read(BufferedImage image);
    }

    private final ModelManager models;
    private final VisionConfig config;
    private final ImagePipeline pipeline;
    private final Supplier<Screen> screen;
    private final Supplier<TextReader> ocr;

    public DescribeService(ModelManager models, VisionConfig config, ImagePipeline pipeline, Supplier<Screen> screen,
                           Supplier<TextReader> ocr) {
        this.models = models;
        this.config = config;
        this.pipeline = pipeline;
        this.screen = screen;
        this.ocr = ocr;
    }

    public DescribeResult describe(DescribeRequest request, CallContext call) {
        request.validate();
        long t0 = System.nanoTime();
        Looked looked = request.capturesScreen() ? capture(request.capture()) : upload(request.image());
        long t1 = System.nanoTime();
        return switch (request.task()) {
            case "describe_screen", "describe_image" -> ask(request, looked, t0, t1, call);
            default -> read(request, looked, t0, t1);
        };
    }

    /** The image looked at, and where it sits on the desktop (0,0 for uploads). */
    private record Looked(BufferedImage image, String source, int x, int y) {
    }

    private Looked capture(DescribeRequest.Capture c) {
        Target target = c == null || c.monitor() == null && c.region() == null ? Target.desktop()
                : c.monitor() != null ? Target.monitor(c.monitor())
                : Target.region(new Rect(c.region().x(), c.region().y(), c.region().width(), c.region().height()));
        Frame frame = screen.get().capture(target);
        return new Looked(frame.toImage(), "screen", frame.bounds().x(), frame.bounds().y());
    }

    private Looked upload(String image) {
        String base64 = image.startsWith("data:") ? image.substring(image.indexOf(',') + 1) : image;
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("image is not a data: URL or valid base64", "image", "invalid_image");
        }
        return new Looked(pipeline.decode(bytes, "image"), "upload", 0, 0);
    }

    private DescribeResult ask(DescribeRequest request, Looked looked, long t0, long t1, CallContext call) {
        String model = request.model() != null ? request.model() : config.model();
        if (model == null) {
            throw new BadRequestException("No vision model is configured: set vision.model in the config (a model "
                    + "with capabilities.vision), or pass \"model\"; task read_text reads the screen's text on this "
                    + "machine without a model", "model", "no_vision_model");
        }
        ImagePipeline.ResizePolicy policy = new ImagePipeline.ResizePolicy(config.maxEdge(), config.maxPixels(),
                config.patchMultiple());
        BufferedImage sized = ImagePipeline.resize(looked.image(), policy);
        String dataUrl = ImageEncoder.jpegDataUrl(sized);
        long t2 = System.nanoTime();
        String prompt = request.prompt() != null ? request.prompt()
                : request.task().equals("describe_screen") ? SCREEN_PROMPT : IMAGE_PROMPT;
        ChatRequest chat = ChatRequest.of(model, List.of(ChatMessage.user(List.of(ContentPart.text(prompt),
                ContentPart.image(dataUrl))))).withLimits(request.maxTokens(), null);
        Served<ChatCompletion> served = models.chat(chat, call);
        long t3 = System.nanoTime();
        return new DescribeResult(request.task(), served.servedBy(), served.value().text(),
                info(looked, sized), null, null, new DescribeResult.Timings(ms(t0, t1), ms(t1, t2), 0, ms(t2, t3),
                ms(t0, t3)));
    }

    private DescribeResult read(DescribeRequest request, Looked looked, long t0, long t1) {
        List<DescribeResult.TextLine> lines = ocr.get().read(looked.image()).stream()
                .map(l -> new DescribeResult.TextLine(l.text(), l.confidence(), l.x() + looked.x(), l.y() + looked.y(),
                        l.width(), l.height()))
                .toList();
        long t2 = System.nanoTime();
        List<DescribeResult.TextLine> matches = null;
        if (request.task().equals("find")) {
            String needle = request.prompt().strip().toLowerCase(java.util.Locale.ROOT);
            matches = lines.stream().filter(l -> l.text().toLowerCase(java.util.Locale.ROOT).contains(needle)).toList();
        }
        return new DescribeResult(request.task(), null, null, info(looked, looked.image()),
                request.task().equals("read_text") ? lines : null, matches,
                new DescribeResult.Timings(ms(t0, t1), 0, ms(t1, t2), 0, ms(t0, t2)));
    }

    private static DescribeResult.ImageInfo info(Looked looked, BufferedImage seen) {
        return new DescribeResult.ImageInfo(looked.source(), seen.getWidth(), seen.getHeight(),
                looked.image().getWidth(), looked.image().getHeight(), looked.x(), looked.y());
    }

    private static double ms(long from, long to) {
        return Math.round((to - from) / 1e4) / 100.0;
    }
}
