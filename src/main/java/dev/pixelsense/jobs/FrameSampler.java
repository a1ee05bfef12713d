package dev.pixelsense.jobs;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Samples frames of a video with ffmpeg: at scene changes ({@code select} on the scene score, always
 * with the first frame) or every N seconds ({@code fps=1/N}), at most a number of frames, of at most a
 * duration of the video, scaled to at most 1280 pixels wide, as JPEG files. Each frame's timestamp
 * comes from the {@code showinfo} filter's {@code pts_time} on stderr, in output order. The process
 * is killed on cancel or after its timeout.
 */
final class FrameSampler {
    private static final Pattern PTS = Pattern.compile("Parsed_showinfo.*?pts_time:\\s*([0-9.]+)");
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** How to pick frames: {@code scene} with a threshold (0..1), or {@code interval} in seconds. */
    record Sampling(String mode, double sceneThreshold, double intervalSeconds, int maxFrames) {
        String filter() {
            String pick = mode.equals("scene")
                    ? String.format(Locale.ROOT, "select='eq(n\\,0)+gt(scene\\,%.3f)'", sceneThreshold)
                    : String.format(Locale.ROOT, "fps=1/%.3f", intervalSeconds);
            return pick + ",scale='min(1280,iw)':-2,showinfo";
        }
    }

    /** One sampled frame: where it is in the video (seconds) and its JPEG file. */
    record Frame(double seconds, Path jpeg) {}

    private final String ffmpeg;

    FrameSampler(String ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    List<Frame> sample(Path video, Sampling sampling, Duration maxDuration, Path outDir, JobContext context)
            throws IOException, InterruptedException {
        List<String> command = List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "info",
                "-t", Long.toString(Math.max(1, maxDuration.toSeconds())), "-i", video.toString(),
                "-vf", sampling.filter(), "-fps_mode", "vfr", "-frames:v", Integer.toString(sampling.maxFrames()),
                "-q:v", "3", outDir.resolve("frame-%04d.jpg").toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
        } catch (IOException e) {
            throw new UnavailableException("ffmpeg is needed for describe_video and cannot be run here ('" + ffmpeg
                    + "': " + e.getMessage() + "): install it (apt-get install ffmpeg) or set jobs.inputs.ffmpeg");
        }
        context.onCancel(p::destroyForcibly);
        String log;
        try {
            log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("ffmpeg took longer than " + TIMEOUT.toMinutes() + " minutes");
            }
        } finally {
            p.destroyForcibly();
        }
        if (p.exitValue() != 0) {
            throw new BadRequestException("ffmpeg could not read the video: " + lastLine(log), "input.video",
                    "invalid_video");
        }
        List<Double> times = new ArrayList<>();
        Matcher m = PTS.matcher(log);
        while (m.find()) {
            times.add(Double.parseDouble(m.group(1)));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(outDir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("frame-")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new BadRequestException("the video has no frames ffmpeg could decode", "input.video", "invalid_video");
        }
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            frames.add(new Frame(i < times.size() ? times.get(i) : Double.NaN, files.get(i)));
        }
        return frames;
    }

    private static String lastLine(String log) {
        String[] lines = log.strip().split("\n");
        return lines.length == 0 ? "(no output)" : lines[lines.length - 1].strip();
    }
}
