package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.config.JobsConfig;
import dev.pixelsense.config.ServerConfig;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.model.CallContext;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.vision.DescribeRequest;
import dev.pixelsense.vision.DescribeResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Job type {@code describe_video}: samples frames of a video with ffmpeg ({@link FrameSampler}),
 * describes each with the job's vision model (default {@code vision.model}), then asks the same
 * model for a summary of those descriptions. Input: {@code video} ({@link VideoInput}), optional
 * {@code prompt} (per frame), {@code summary_prompt}, {@code sampling} ({@code scene}, the default,
 * or {@code interval}), {@code scene_threshold} (0..1, default 0.3), {@code interval_s} (default 5)
 * and {@code max_frames} (default and ceiling {@code jobs.inputs.max_frames}). Result:
 * {@code {model, frames: [{index, time_s, description}], summary}}. Progress: one step per frame,
 * and one for the summary. Temporary files are deleted when the attempt ends.
 */
public final class DescribeVideoJob implements JobHandler {
    static final String FRAME_PROMPT = "Describe this frame of a video in one or two sentences.";
    static final String SUMMARY_PROMPT = "Summarize what happens in the video.";

    private final ImagesJob.Vision vision;
    private final ChatJob.Chat chat;
    private final JobsConfig.Inputs limits;
    private final VideoInput videos;
    private final String defaultModel;

    public DescribeVideoJob(ImagesJob.Vision vision, ChatJob.Chat chat, JobsConfig.Inputs limits,
                            ServerConfig.RemoteImages remote, String defaultModel) {
        this.vision = vision;
        this.chat = chat;
        this.limits = limits;
        this.videos = new VideoInput(limits, remote);
        this.defaultModel = defaultModel;
    }

    @Override
    public String type() {
        return "describe_video";
    }

    @Override
    public JobRequest prepare(JobRequest request) {
        JsonNode input = request.input();
        if (!input.isObject()) {
            throw new BadRequestException("the input must be an object {video, ...}", "input");
        }
        videos.check(input);
        sampling(input);
        ImageInputs.text(input, "prompt", ImagesJob.MAX_PROMPT);
        ImageInputs.text(input, "summary_prompt", ImagesJob.MAX_PROMPT);
        return ImagesJob.withVisionModel(request, defaultModel);
    }

    private FrameSampler.Sampling sampling(JsonNode input) {
        String mode = input.path("sampling").asText("scene");
        if (!mode.equals("scene") && !mode.equals("interval")) {
            throw new BadRequestException("'input.sampling' must be scene or interval", "input.sampling");
        }
        double threshold = input.path("scene_threshold").asDouble(0.3);
        if (threshold <= 0 || threshold >= 1) {
            throw new BadRequestException("'input.scene_threshold' must be between 0 and 1", "input.scene_threshold");
        }
        double interval = input.path("interval_s").asDouble(5);
        if (interval < 0.1 || interval > 3600) {
            throw new BadRequestException("'input.interval_s' must be 0.1 to 3600 seconds", "input.interval_s");
        }
        Integer frames = ImageInputs.positive(input, "max_frames", limits.maxFrames());
        return new FrameSampler.Sampling(mode, threshold, interval, frames == null ? limits.maxFrames() : frames);
    }

    @Override
    public JsonNode run(JobContext context) throws Exception {
        JsonNode input = context.input();
        String video = videos.check(input);
        FrameSampler.Sampling sampling = sampling(input);
        String model = ImagesJob.withVisionModel(new JobRequest(type(), input, context.job().model(), 0, null, null),
                defaultModel).model();
        String prompt = ImageInputs.text(input, "prompt", ImagesJob.MAX_PROMPT);
        String summaryPrompt = ImageInputs.text(input, "summary_prompt", ImagesJob.MAX_PROMPT);
        CallContext call = new CallContext();
        context.onCancel(call::cancel);
        Path dir = Files.createTempDirectory("pixelsense-video-");
        try {
            context.progress(0, "sampling frames");
            List<FrameSampler.Frame> frames = new FrameSampler(limits.ffmpeg()).sample(videos.file(video, dir),
                    sampling, limits.maxVideoDuration(), dir, context);
            ObjectNode result = OpenAiJson.MAPPER.createObjectNode().put("model", model);
            ArrayNode out = result.putArray("frames");
            StringBuilder notes = new StringBuilder();
            int steps = frames.size() + 1;
            for (int i = 0; i < frames.size(); i++) {
                FrameSampler.Frame f = frames.get(i);
                String dataUrl = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(
                        f.jpeg()));
                DescribeResult d = vision.describe(new DescribeRequest("describe_image", prompt == null ? FRAME_PROMPT
                        : prompt, model, dataUrl, null, null), call);
                out.addObject().put("index", i).put("time_s", f.seconds()).put("description", d.answer());
                notes.append(String.format(Locale.ROOT, "[%.2f s] %s%n", f.seconds(), d.answer()));
                context.progress((double) (i + 1) / steps, "frame " + (i + 1) + " of " + frames.size());
            }
            String ask = "These are descriptions of frames sampled from one video, with their times:\n" + notes
                    + "\n" + (summaryPrompt == null ? SUMMARY_PROMPT : summaryPrompt);
            result.put("summary", chat.chat(ChatRequest.of(model, List.of(ChatMessage.user(ask))), call).text());
            context.progress(1, "summarized " + frames.size() + " frames");
            return result;
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException ignored) {
            // a temp dir left behind is not worth failing the job
        }
    }
}
