package dev.pixelsense.cli;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.vision.DescribeRequest;
import dev.pixelsense.vision.DescribeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Describe the screen or an image with the vision model, or read its text (on this machine).")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = {"-t", "--task"}, defaultValue = "describe_screen",
            description = "describe_screen (default), describe_image, read_text or find.")
    String task;

    @Option(names = {"-p", "--prompt"}, description = "What to ask, or (find) the text to look for.")
    String prompt;

    @Option(names = {"-m", "--model"}, description = "Vision model (default: vision.model).")
    String model;

    @Option(names = {"-i", "--image"}, paramLabel = "FILE", description = "An image instead of the screen.")
    Path image;

    @Option(names = "--monitor", description = "Capture this monitor only.")
    Integer monitor;

    @Option(names = "--region", paramLabel = "x,y,w,h", description = "Capture this desktop region only.")
    String region;

    @Option(names = "--json", description = "Print the whole answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        String encoded = null;
        if (image != null) {
            try {
                encoded = Base64.getEncoder().encodeToString(Files.readAllBytes(image));
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("image file not found: " + image);
            }
        }
        String effectiveTask = image != null && task.equals("describe_screen") ? "describe_image" : task;
        DescribeRequest.Capture capture = monitor == null && region == null ? null
                : new DescribeRequest.Capture(monitor, region == null ? null : parseRegion(region));
        DescribeRequest request = new DescribeRequest(effectiveTask, prompt, model, encoded, capture, null);
        try (Pixelsense px = Pixelsense.open(config.load(), System::getenv)) {
            DescribeResult r = px.describe(request);
            if (json) {
                System.out.println(OpenAiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
                return 0;
            }
            if (r.answer() != null) {
                System.out.println(r.answer());
            }
            var lines = r.lines() != null ? r.lines() : r.matches();
            if (lines != null) {
                for (DescribeResult.TextLine l : lines) {
                    System.out.printf("%5d,%-5d %4dx%-4d %.2f  %s%n", l.x(), l.y(), l.width(), l.height(), l.confidence(),
                            l.text());
                }
                if (lines.isEmpty()) {
                    System.out.println(r.matches() != null ? "not found" : "(no text)");
                }
            }
            return r.matches() != null && r.matches().isEmpty() ? 1 : 0;
        }
    }

    private static DescribeRequest.Region parseRegion(String text) {
        String[] p = text.split(",");
        if (p.length != 4) {
            throw new IllegalArgumentException("--region takes x,y,w,h, got '" + text + "'");
        }
        try {
            return new DescribeRequest.Region(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                    Integer.parseInt(p[2].trim()), Integer.parseInt(p[3].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--region takes whole numbers x,y,w,h, got '" + text + "'");
        }
    }
}
