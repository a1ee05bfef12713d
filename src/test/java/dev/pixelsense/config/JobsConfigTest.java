package dev.pixelsense.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixelsense.Pixelsense;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code jobs:} section: every key, its defaults, and errors naming file, line and key. */
class JobsConfigTest {
    private static PixelsenseConfig parse(String text) {
        return Pixelsense.loader(Map.of("HOOK_SECRET", "0123456789abcdef-from-env")::get).parse("test.yaml", text);
    }

    private static String errorOf(String text) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class);
        try {
            parse(text);
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    @Test
    void should_default_every_job_setting() {
        JobsConfig jobs = parse("{}").jobs();

        assertThat(jobs).isEqualTo(JobsConfig.DEFAULT);
        assertThat(jobs.redis()).isNull();
        assertThat(jobs.concurrency()).isEqualTo(2);
        assertThat(jobs.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(jobs.models()).isNull();
        assertThat(jobs.webhooks().secret()).isNull();
        assertThat(jobs.inputs().videoDirs()).isEmpty();
        assertThat(jobs.inputs().maxFrames()).isEqualTo(16);
    }

    @Test
    void should_read_every_job_key() {
        JobsConfig jobs = parse("""
                models:
                  - id: vlm
                    backend: openai
                    base_url: http://127.0.0.1:9/v1
                    aliases: [vision]
                jobs:
                  redis: redis://10.0.0.5:6380/2
                  concurrency: 8
                  lease: 10s
                  max_attempts: 5
                  backoff: 250ms
                  max_backoff: 30s
                  result_ttl: 1h
                  models: [vlm, vision]
                  webhooks:
                    secret: ${HOOK_SECRET}
                    allow_private: true
                    max_attempts: 7
                    backoff: 2s
                    timeout: 3s
                  inputs:
                    max_images: 4
                    max_image_size: 5MB
                    max_video_size: 50MB
                    video_dirs: [/srv/videos]
                    max_frames: 8
                    max_video_duration: 2m
                    ffmpeg: /opt/ffmpeg/bin/ffmpeg
                """).jobs();

        assertThat(jobs.redis()).isEqualTo(URI.create("redis://10.0.0.5:6380/2"));
        assertThat(jobs.concurrency()).isEqualTo(8);
        assertThat(jobs.lease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(jobs.maxAttempts()).isEqualTo(5);
        assertThat(jobs.backoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(jobs.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(jobs.resultTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(jobs.models()).containsExactly("vlm", "vision");
        assertThat(jobs.webhooks()).isEqualTo(new JobsConfig.Webhooks("0123456789abcdef-from-env", true, 7,
                Duration.ofSeconds(2), Duration.ofSeconds(3)));
        assertThat(jobs.inputs()).isEqualTo(new JobsConfig.Inputs(4, 5L << 20, 50L << 20, List.of(Path.of("/srv/videos")),
                8, Duration.ofMinutes(2), "/opt/ffmpeg/bin/ffmpeg"));
    }

    @Test
    void should_name_file_line_and_key_of_bad_job_settings() {
        assertThat(errorOf("jobs:\n  lease: 100ms\n")).isEqualTo(
                "test.yaml:2: jobs.lease: must be at least 300ms: it is renewed every third of it");
        assertThat(errorOf("jobs:\n  concurrency: 0\n")).startsWith("test.yaml:2: jobs.concurrency: ");
        assertThat(errorOf("jobs:\n  redis: http://localhost:6379\n")).startsWith("test.yaml:2: jobs.redis: a Redis URL");
        assertThat(errorOf("jobs:\n  backoff: 5s\n  max_backoff: 1s\n")).startsWith("test.yaml:3: jobs.max_backoff: ");
        assertThat(errorOf("jobs:\n  webhooks:\n    secret: short\n")).startsWith(
                "test.yaml:3: jobs.webhooks.secret: must be at least 16 characters");
        assertThat(errorOf("jobs:\n  inputs:\n    video_dirs: [videos]\n")).isEqualTo(
                "test.yaml:3: jobs.inputs.video_dirs[0]: must be an absolute directory");
        assertThat(errorOf("jobs:\n  models: [ghost]\n")).startsWith(
                "test.yaml:2: jobs.models[0]: unknown model 'ghost'");
        assertThat(errorOf("jobs:\n  leese: 5s\n")).startsWith("test.yaml:2: jobs.leese: unknown key (did you mean 'lease'?)");
        assertThat(errorOf("jobs:\n  inputs:\n    max_frame: 5\n")).contains("did you mean 'max_frames'");
    }
}
