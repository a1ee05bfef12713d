package dev.pixelsense.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelsense.Pixelsense;
import dev.pixelsense.testing.FakeUpstream;
import dev.pixelsense.testing.RawHttp;
import dev.pixelsense.testing.RedisServer;
import dev.pixelsense.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * describe_video end to end: a 3-second clip made by ffmpeg's testsrc, a server queueing in a real
 * Redis, a worker sampling frames with the real ffmpeg, and a scripted vision model (a local server
 * speaking the OpenAI protocol) that describes frames and then summarises.
 */
class DescribeVideoTest {
    @TempDir
    Path dir;

    private Path clip() throws Exception {
        Path clip = dir.resolve("clip.mp4");
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=duration=3:size=320x240:rate=10", "-pix_fmt", "yuv420p", "-y", clip.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("ffmpeg: " + out).isZero();
        return clip;
    }


    @Test
    void should_sample_describe_and_summarise_a_video_through_redis() throws Exception {
        Path clip = clip();
        AtomicInteger frames = new AtomicInteger();
        try (RedisServer redis = RedisServer.start();
             FakeUpstream model = new FakeUpstream().always((r, reply) -> {
                 boolean image = r.body().path("messages").get(0).path("content").isArray();
                 reply.text(image ? "frame " + frames.incrementAndGet() + ": coloured bars and a counter"
                         : "A test pattern with a running counter.", 50, 8);
             });
             TestServer server = TestServer.start(JobsOverHttp.visionConfig(model.baseUrl(), """
                     jobs:
                       redis: %s
                       inputs:
                         video_dirs: ["%s"]
                     """.formatted(redis.uri(), dir.toAbsolutePath())))) {
            // given a worker on the same Redis, with the server's models and ffmpeg
            Pixelsense px = server.pixelsense();
            assertThat(px.jobService().worker()).as("the server only queues").isNull();
            try (JobService worker = JobService.open(px.config().jobs(), null, JobSettings.from(px.config().jobs()),
                    px.jobHandlers(), px.servedModels(), true)) {
                // when the clip is submitted inline, sampled every second
                String dataUrl = "data:video/mp4;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(clip));
                RawHttp.Response accepted = RawHttp.post(server.port(), "/v1/jobs", "{\"type\":\"describe_video\","
                        + "\"input\":{\"video\":\"" + dataUrl + "\",\"sampling\":\"interval\",\"interval_s\":1}}",
                        Map.of());

                // then three frames at 0, 1 and 2 s were described, and the summary saw them all
                assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
                JsonNode job = JobsOverHttp.awaitEnd(server.port(), accepted.json().path("id").asText());
                assertThat(job.path("status").asText()).as(job.path("error").asText()).isEqualTo("succeeded");
                assertThat(job.path("worker").asText()).isEqualTo(worker.worker().name());
                JsonNode result = job.path("result");
                assertThat(result.path("model").asText()).isEqualTo("vlm");
                assertThat(result.path("frames")).hasSize(3);
                for (int i = 0; i < 3; i++) {
                    assertThat(result.path("frames").get(i).path("time_s").asDouble()).isCloseTo(i,
                            org.assertj.core.data.Offset.offset(0.15));
                    assertThat(result.path("frames").get(i).path("description").asText()).startsWith("frame " + (i + 1));
                }
                assertThat(result.path("summary").asText()).isEqualTo("A test pattern with a running counter.");
                String summaryAsk = model.last().body().path("messages").get(0).path("content").asText();
                assertThat(summaryAsk).contains("[0.00 s] frame 1").contains("[2.00 s] frame 3")
                        .endsWith(DescribeVideoJob.SUMMARY_PROMPT);
                assertThat(job.path("message").asText()).isEqualTo("summarized 3 frames");

                // and a file under jobs.inputs.video_dirs works by path, at scene changes, capped in frames
                RawHttp.Response byPath = RawHttp.post(server.port(), "/v1/jobs", "{\"type\":\"describe_video\","
                        + "\"input\":{\"video\":\"" + clip.toAbsolutePath() + "\",\"max_frames\":2}}", Map.of());
                JsonNode second = JobsOverHttp.awaitEnd(server.port(), byPath.json().path("id").asText());
                assertThat(second.path("status").asText()).as(second.path("error").asText()).isEqualTo("succeeded");
                assertThat(second.path("result").path("frames").size()).isBetween(1, 2);
                assertThat(second.path("result").path("frames").get(0).path("time_s").asDouble()).isZero();
            }
        }
    }

    @Test
    void should_fail_with_a_clear_error_when_ffmpeg_is_missing() throws Exception {
        try (FakeUpstream model = new FakeUpstream();
             TestServer server = TestServer.start(JobsOverHttp.visionConfig(model.baseUrl(), """
                     jobs:
                       max_attempts: 1
                       inputs:
                         ffmpeg: /nonexistent/ffmpeg
                     """))) {
            RawHttp.Response accepted = RawHttp.post(server.port(), "/v1/jobs", "{\"type\":\"describe_video\","
                    + "\"input\":{\"video\":\"data:video/mp4;base64,AAAA\"}}", Map.of());

            JsonNode job = JobsOverHttp.awaitEnd(server.port(), accepted.json().path("id").asText());
            assertThat(job.path("status").asText()).isEqualTo("failed");
            assertThat(job.path("error").asText()).contains("ffmpeg is needed for describe_video")
                    .contains("/nonexistent/ffmpeg").contains("apt-get install ffmpeg").contains("jobs.inputs.ffmpeg");
            assertThat(model.received()).isEmpty();
        }
    }
}
