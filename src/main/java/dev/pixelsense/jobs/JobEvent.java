package dev.pixelsense.jobs;

/**
 * What a subscriber to a job sees: a progress report ({@code progress} 0..1 and a message) or a
 * change of state. The event that carries a terminal state is the last one for that job.
 */
public record JobEvent(String id, String kind, JobState state, double progress, String message) {
    public static final String PROGRESS = "progress";
    public static final String STATE = "state";

    public static JobEvent progress(String id, double progress, String message) {
        return new JobEvent(id, PROGRESS, JobState.RUNNING, progress, message);
    }

    public static JobEvent state(String id, JobState state) {
        return new JobEvent(id, STATE, state, state instanceof JobState.Succeeded ? 1 : 0, null);
    }
}
