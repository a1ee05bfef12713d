package dev.pixelsense.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pixelsense.error.BadRequestException;

/**
 * What a run should do; nulls take the {@code agent:} config's defaults.
 *
 * @param goal        the goal in words (required, at most 4000 characters)
 * @param model       the model to ask (vision + tools); null = agent.model, else vision.model
 * @param monitor     the monitor to look at and act on; null = agent.monitor, else all monitors
 * @param maxSteps    model turns before the run stops
 * @param maxDuration wall-clock limit, e.g. {@code 90s}, {@code 5m}
 * @param dryRun      plan and draw, never act
 */
public record AgentRequest(String goal, String model, Integer monitor, @JsonProperty("max_steps") Integer maxSteps,
                           @JsonProperty("max_duration") String maxDuration, @JsonProperty("dry_run") Boolean dryRun) {
    static final int MAX_GOAL = 4000;

    public static AgentRequest of(String goal) {
        return new AgentRequest(goal, null, null, null, null, null);
    }

    public AgentRequest {
        if (goal == null || goal.isBlank()) {
            throw new BadRequestException("goal is required: what the agent should achieve, in words", "goal");
        }
        if (goal.length() > MAX_GOAL) {
            throw new BadRequestException("goal is longer than " + MAX_GOAL + " characters", "goal");
        }
        if (maxSteps != null && (maxSteps < 1 || maxSteps > 1000)) {
            throw new BadRequestException("max_steps must be from 1 to 1000, got " + maxSteps, "max_steps");
        }
        if (monitor != null && monitor < 0) {
            throw new BadRequestException("monitor must be a monitor id (0, 1, ...), got " + monitor, "monitor");
        }
        if (maxDuration != null) {
            try {
                java.time.Duration d = dev.pixelsense.config.Durations.parse(maxDuration);
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("must be positive");
                }
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("max_duration must be a duration such as 90s or 5m: " + e.getMessage(),
                        "max_duration");
            }
        }
    }

    public AgentRequest withModel(String m) {
        return new AgentRequest(goal, m, monitor, maxSteps, maxDuration, dryRun);
    }

    public AgentRequest withMonitor(Integer m) {
        return new AgentRequest(goal, model, m, maxSteps, maxDuration, dryRun);
    }

    public AgentRequest withMaxSteps(Integer n) {
        return new AgentRequest(goal, model, monitor, n, maxDuration, dryRun);
    }

    public AgentRequest withMaxDuration(String d) {
        return new AgentRequest(goal, model, monitor, maxSteps, d, dryRun);
    }

    public AgentRequest withDryRun(boolean on) {
        return new AgentRequest(goal, model, monitor, maxSteps, maxDuration, on);
    }

    public boolean dryRunOn() {
        return Boolean.TRUE.equals(dryRun);
    }
}
