package dev.pixelsense.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.config.JobsConfig;
import dev.pixelsense.config.ServerConfig;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.model.CallContext;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.vision.DescribeRequest;
import dev.pixelsense.vision.DescribeResult;
import java.util.List;

/**
 * Job types {@code describe_images} (input: {@code images}, optional {@code prompt} and
 * {@code max_tokens}; each image is described by the job's vision model, default {@code vision.model})
 * and {@code ocr_images} (input: {@code images}; each image's text is read on this machine by the
 * PP-OCRv4 engine). Both go through the describe service, so images are decoded, checked and sized
 * as {@code /vision/describe} does it. Progress is reported after each image; the result is
 * {@code {"images": [{index, ...the describe answer: answer or lines, image, timings}]}}.
 */
public final class ImagesJob implements JobHandler {
    static final int MAX_PROMPT = 8_000;

    /** The describe service's call, as the job needs it. */
    @FunctionalInterface
    public interface Vision {
        DescribeResult describe(DescribeRequest request, CallContext call);
    }

    private final boolean ocr;
    private final Vision vision;
    private final ImageInputs inputs;
    private final String defaultModel;

    private ImagesJob(boolean ocr, Vision vision, JobsConfig.Inputs limits, ServerConfig.RemoteImages remote,
                      String defaultModel) {
        this.ocr = ocr;
        this.vision = vision;
        this.inputs = new ImageInputs(limits, remote);
        this.defaultModel = defaultModel;
    }

    /** {@code describe_images}; {@code defaultModel} (vision.model) serves jobs that name none. */
    public static ImagesJob describe(Vision vision, JobsConfig.Inputs limits, ServerConfig.RemoteImages remote,
                                     String defaultModel) {
        return new ImagesJob(false, vision, limits, remote, defaultModel);
    }

    /** {@code ocr_images}: no model; runs on any worker with the OCR models pulled. */
    public static ImagesJob ocr(Vision vision, JobsConfig.Inputs limits, ServerConfig.RemoteImages remote) {
        return new ImagesJob(true, vision, limits, remote, null);
    }

    @Override
    public String type() {
        return ocr ? "ocr_images" : "describe_images";
    }

    @Override
    public JobRequest prepare(JobRequest request) {
        inputs.check(request.input());
        if (ocr) {
            return request;
        }
        ImageInputs.text(request.input(), "prompt", MAX_PROMPT);
        ImageInputs.positive(request.input(), "max_tokens", 1 << 20);
        return withVisionModel(request, defaultModel);
    }

    /** The job with its model: its own, else the default vision model; refused when there is neither. */
    static JobRequest withVisionModel(JobRequest request, String defaultModel) {
        if (request.model() != null) {
            return request;
        }
        if (defaultModel == null) {
            throw new BadRequestException("No vision model: pass \"model\", or set vision.model in the config",
                    "model", "no_vision_model");
        }
        return request.withModel(defaultModel);
    }

    @Override
    public JsonNode run(JobContext context) {
        JsonNode input = context.input();
        List<String> images = inputs.check(input);
        String prompt = ImageInputs.text(input, "prompt", MAX_PROMPT);
        Integer maxTokens = ImageInputs.positive(input, "max_tokens", 1 << 20);
        String model = ocr ? null : withVisionModel(new JobRequest(type(), input, context.job().model(), 0, null,
                null), defaultModel).model();
        CallContext call = new CallContext();
        context.onCancel(call::cancel);
        ObjectNode result = OpenAiJson.MAPPER.createObjectNode();
        ArrayNode out = result.putArray("images");
        context.progress(0, "0 of " + images.size() + " images");
        for (int i = 0; i < images.size(); i++) {
            String at = "input.images[" + i + "]";
            String image = inputs.dataUrl(images.get(i), at);
            DescribeResult answer = vision.describe(new DescribeRequest(ocr ? "read_text" : "describe_image", prompt,
                    model, image, null, maxTokens), call);
            ObjectNode item = OpenAiJson.MAPPER.createObjectNode().put("index", i);
            item.setAll((ObjectNode) OpenAiJson.MAPPER.valueToTree(answer));
            out.add(item);
            context.progress((double) (i + 1) / images.size(), (i + 1) + " of " + images.size() + " images");
        }
        return result;
    }
}
