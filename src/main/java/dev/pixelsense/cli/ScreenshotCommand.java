package dev.pixelsense.cli;

import dev.pixelsense.screen.Frame;
import dev.pixelsense.screen.Rect;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.screen.Target;
import dev.pixelsense.vision.ImageEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "screenshot", mixinStandardHelpOptions = true,
        description = "Capture a monitor, a region or the whole desktop to a PNG or JPEG file.")
final class ScreenshotCommand implements Callable<Integer> {
    @Mixin
    ScreenOption screen;

    @ArgGroup(exclusive = true)
    What what;

    static final class What {
        @Option(names = "--monitor", paramLabel = "N", description = "Monitor id (see 'pixelsense monitors').")
        Integer monitor;

        @Option(names = "--region", paramLabel = "X,Y,W,H", description = "Region of the virtual desktop.")
        String region;
    }

    @Option(names = "--max-edge", paramLabel = "PX", description = "Downscale so the longer edge is at most PX.")
    Integer maxEdge;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "screenshot.png",
            description = "Output file; .png, .jpg or .jpeg (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--quality", paramLabel = "Q", defaultValue = "0.85", description = "JPEG quality 0-1 (default: ${DEFAULT-VALUE}).")
    float quality;

    @Override
    public Integer call() throws IOException {
        ImageEncoder.Format format = ImageEncoder.Format.ofFileName(output.getFileName().toString());
        if (quality < 0 || quality > 1) {
            throw new IllegalArgumentException("--quality must be between 0 and 1, got " + quality);
        }
        Target target = what == null ? Target.desktop()
                : what.monitor != null ? Target.monitor(what.monitor) : Target.region(Rect.parse(what.region));
        Frame frame;
        try (Screen s = screen.open()) {
            frame = s.capture(target);
        }
        if (maxEdge != null) {
            frame = frame.scaledToMaxEdge(maxEdge);
        }
        try (OutputStream out = Files.newOutputStream(output)) {
            ImageEncoder.write(frame.toImage(), format, quality, out);
        }
        System.out.println("Wrote " + output + ": " + frame.width() + "x" + frame.height() + " px of " + frame.bounds());
        return 0;
    }
}
