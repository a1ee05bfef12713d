package dev.pixelsense.vision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pixelsense.error.BadRequestException;
import java.util.Set;

/**
 * A {@code /vision/describe} request.
 *
 * @param task describe_screen, describe_image, read_text or find
 * @param prompt what to ask the model (describe tasks; a default otherwise) or the text to find
 * @param image a {@code data:} URL or bare base64 of an image (describe_image; read_text and
 *     find on an image instead of the screen)
 * @param capture which part of the screen (tasks that look at the screen): a monitor, a region,
 *     or, when absent, the whole desktop
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DescribeRequest(String task, String prompt, String model, String image, Capture capture,
                              @JsonProperty("max_tokens") Integer maxTokens) {

    public static final Set<String> TASKS = Set.of("describe_screen", "describe_image", "read_text", "find");

    /** @param region {x, y, width, height} in desktop points */
    public record Capture(Integer monitor, Region region) {
    }

    public record Region(int x, int y, int width, int height) {
    }

    public boolean capturesScreen() {
        return task.equals("describe_screen") || (task.equals("read_text") || task.equals("find")) && image == null;
    }

    public void validate() {
        if (task == null || !TASKS.contains(task)) {
            throw new BadRequestException("task must be one of describe_screen, describe_image, read_text, find; got "
                    + (task == null ? "nothing" : "'" + task + "'"), "task", "invalid_task");
        }
        if (task.equals("describe_image") && (image == null || image.isBlank())) {
            throw new BadRequestException("describe_image needs 'image' (a data: URL or base64)", "image");
        }
        if (task.equals("find") && (prompt == null || prompt.isBlank())) {
            throw new BadRequestException("find needs 'prompt': the text to look for", "prompt");
        }
        if (capture != null && capture.monitor() != null && capture.region() != null) {
            throw new BadRequestException("capture takes a monitor or a region, not both", "capture");
        }
        if (capture != null && capture.region() != null
                && (capture.region().width() <= 0 || capture.region().height() <= 0)) {
            throw new BadRequestException("capture.region needs a positive width and height", "capture.region");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new BadRequestException("max_tokens must be at least 1", "max_tokens");
        }
    }
}
