package dev.pixelsense.agent;

import dev.pixelsense.screen.FrameDiff;
import dev.pixelsense.screen.Rect;
import java.util.Locale;

/** What the agent tells the model after an action: did the screen change, and where. */
final class Verification {
    static final int MAX_AREAS = 3;

    private Verification() {}

    /** @param view the screenshot the model saw (areas are given as fractions of it) */
    static String describe(FrameDiff diff, boolean changed, boolean settled, View view) {
        if (!changed) {
            return "No visible change on the screen" + (settled ? "." : " (it was still changing at the time limit).");
        }
        double percent = diff.changedFraction() * 100;
        StringBuilder s = new StringBuilder("The screen changed (" + (percent < 0.01 ? "<0.01"
                : String.format(Locale.ROOT, percent < 1 ? "%.2f" : "%.1f", percent)) + "% of it");
        int n = diff.boxes().size();
        s.append(n == 1 ? ", 1 area" : ", " + n + " areas").append(n > MAX_AREAS ? "; the largest" : "").append(':');
        for (int i = 0; i < Math.min(n, MAX_AREAS); i++) {
            Rect frameBox = diff.boxes().get(i);
            Rect r = view.toDesktop(frameBox);
            double[] c = view.toShown(r.x() + r.width() / 2.0, r.y() + r.height() / 2.0);
            s.append(String.format(Locale.ROOT, "%s around (%s, %s), %dx%d px", i == 0 ? "" : ";",
                    AgentLoop.fmt(c[0] / view.shown().getWidth()), AgentLoop.fmt(c[1] / view.shown().getHeight()),
                    frameBox.width(), frameBox.height()));
        }
        s.append(')');
        return s.append(settled ? "." : "; it was still changing at the time limit.").toString();
    }
}
