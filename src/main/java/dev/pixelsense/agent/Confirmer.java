package dev.pixelsense.agent;

/**
 * Confirm mode: asked before each action with what it is and where it lands. Called on the run's
 * thread, which waits for the answer (the CLI asks on the terminal).
 */
@FunctionalInterface
public interface Confirmer {
    enum Decision {
        /** Do it. */
        YES,
        /** Skip it; the model is told the user declined. */
        NO,
        /** End the run. */
        STOP
    }

    Decision confirm(AgentAction action, String where);
}
