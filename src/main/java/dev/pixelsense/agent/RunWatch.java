package dev.pixelsense.agent;

import dev.pixelsense.agent.AgentRun.Status;
import dev.pixelsense.screen.Input;
import dev.pixelsense.screen.Monitor;
import dev.pixelsense.screen.Point;
import dev.pixelsense.screen.Rect;
import java.util.List;

/**
 * Watches a run from outside its loop (on its own thread), so a model call in flight is cut short
 * too: the time limit, and the kill switch: the pointer moved into a monitor corner, not by the
 * agent's hand. Only a move counts, so a pointer resting in a corner when the run starts does not
 * stop it. Polls every 100 ms; skips the pointer while the agent itself is acting.
 */
final class RunWatch implements Runnable {
    private final ScreenAgent.Plan plan;
    private final Input input;
    private final AgentRun run;
    private volatile boolean acting;
    private volatile Point.Absolute placedByUs;
    private volatile boolean overTime;

    RunWatch(ScreenAgent.Plan plan, Input input, AgentRun run) {
        this.plan = plan;
        this.input = input;
        this.run = run;
    }

    /** The agent starts (true) or finished (false) an action. */
    void acting(boolean on) {
        acting = on;
    }

    /** Where the agent left the pointer: not a kill, even in a corner. */
    void placedByUs(Point.Absolute p) {
        placedByUs = p;
    }

    /** Whether the run was stopped for its time limit. */
    boolean overTime() {
        return overTime;
    }

    @Override
    public void run() {
        boolean corners = plan.config().killCorner() && !plan.dryRun();
        try {
            Point.Absolute previous = corners ? input.position() : null;
            while (!Thread.currentThread().isInterrupted() && run.status() == Status.RUNNING) {
                Thread.sleep(100);
                if (run.elapsedMillis() > plan.maxDuration().toMillis()) {
                    overTime = true;
                    run.cancel("max duration (" + plan.maxDuration().toSeconds() + " s) reached");
                    return;
                }
                if (!corners || acting) {
                    continue;
                }
                Point.Absolute now = input.position();
                if (!now.equals(previous) && !now.equals(placedByUs) && inCorner(now, input.monitors())) {
                    run.cancel("kill switch: the pointer was moved into a screen corner");
                    return;
                }
                previous = now;
            }
        } catch (InterruptedException e) {
            // the run ended
        } catch (RuntimeException e) {
            // the display went away; the loop will fail on its own
        }
    }

    /** Within 2 px of a corner of any monitor. */
    static boolean inCorner(Point.Absolute p, List<Monitor> monitors) {
        for (Monitor m : monitors) {
            Rect b = m.bounds();
            boolean left = Math.abs(p.x() - b.x()) <= 2;
            boolean right = Math.abs(p.x() - (b.right() - 1)) <= 2;
            boolean top = Math.abs(p.y() - b.y()) <= 2;
            boolean bottom = Math.abs(p.y() - (b.bottom() - 1)) <= 2;
            if ((left || right) && (top || bottom)) {
                return true;
            }
        }
        return false;
    }
}
