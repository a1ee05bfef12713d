package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.config.ByteSizes;
import dev.pixelsense.config.JobsConfig;
import dev.pixelsense.config.ServerConfig;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.PayloadTooLargeException;
import dev.pixelsense.util.RemoteFetcher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * The {@code video} of a describe_video job: a {@code data:video/...;base64,} URL, an {@code http(s)}
 * URL (when {@code server.remote_images.enabled}, under the same address rules) or an absolute file
 * path under one of {@code jobs.inputs.video_dirs} (none by default: paths are refused). At most
 * {@code jobs.inputs.max_video_size} bytes whichever way it comes.
 */
final class VideoInput {
    private final JobsConfig.Inputs limits;
    private final ServerConfig.RemoteImages remote;
    private final RemoteFetcher.Rules rules;

    VideoInput(JobsConfig.Inputs limits, ServerConfig.RemoteImages remote) {
        this.limits = limits;
        this.remote = remote;
        this.rules = new RemoteFetcher.Rules("video", remote.allowPrivate(), limits.maxVideoBytes(), remote.timeout(),
                "server.remote_images.allow_private", "jobs.inputs.max_video_size");
    }

    /** The video's reference, checked for form, size (inline ones) and place (paths). */
    String check(JsonNode input) {
        JsonNode n = input.path("video");
        if (!n.isTextual() || n.asText().isEmpty()) {
            throw new BadRequestException("'input.video' is required: a data: URL, an http(s) URL or a file path",
                    "input.video");
        }
        String video = n.asText();
        if (video.startsWith("data:")) {
            int comma = video.indexOf(',');
            if (!video.startsWith("data:video/") || comma < 0 || !video.substring(0, comma).endsWith(";base64")) {
                throw new BadRequestException("'input.video' must be data:video/<type>;base64,<data>", "input.video",
                        "invalid_video_url");
            }
            tooLarge((long) (video.length() - comma - 1) * 3 / 4);
        } else if (video.startsWith("http://") || video.startsWith("https://")) {
            if (!remote.enabled()) {
                throw new BadRequestException("Video URLs are disabled on this server: send the video inline as a "
                        + "data: URL, or enable server.remote_images", "input.video", "video_url_disabled");
            }
            RemoteFetcher.checkAddress(URI.create(video), "input.video", rules);
        } else {
            allowedPath(video);
        }
        return video;
    }

    private void tooLarge(long bytes) {
        if (bytes > limits.maxVideoBytes()) {
            throw new PayloadTooLargeException("the video is larger than " + ByteSizes.format(limits.maxVideoBytes())
                    + " (jobs.inputs.max_video_size)", "input.video");
        }
    }

    private Path allowedPath(String video) {
        Path path = Path.of(video);
        if (!path.isAbsolute()) {
            throw new BadRequestException("'input.video' must be a data: URL, an http(s) URL or an absolute path",
                    "input.video");
        }
        try {
            Path real = path.toRealPath();
            for (Path dir : limits.videoDirs()) {
                if (Files.isDirectory(dir) && real.startsWith(dir.toRealPath())) {
                    if (!Files.isRegularFile(real)) {
                        break;
                    }
                    tooLarge(Files.size(real));
                    return real;
                }
            }
        } catch (IOException e) {
            throw new BadRequestException("'input.video': no such file " + video, "input.video");
        }
        throw new BadRequestException("'input.video' names a file outside the directories jobs may read "
                + "(jobs.inputs.video_dirs: " + limits.videoDirs() + ")", "input.video", "video_path_forbidden");
    }

    /** The video as a file: the path itself, or a copy of the inline or fetched bytes in {@code dir}. */
    Path file(String video, Path dir) throws IOException {
        if (video.startsWith("data:")) {
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(video.substring(video.indexOf(',') + 1));
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("'input.video' is not valid base64", "input.video", "invalid_video_url");
            }
            return Files.write(dir.resolve("video"), bytes);
        }
        if (video.startsWith("http://") || video.startsWith("https://")) {
            return Files.write(dir.resolve("video"), new RemoteFetcher(rules).fetch(video, "input.video", "video/*")
                    .bytes());
        }
        return allowedPath(video);
    }
}
