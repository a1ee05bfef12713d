package dev.pixelsense.agent;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.CancelledException;
import dev.pixelsense.error.PixelsenseException;
import dev.pixelsense.screen.Frame;
import dev.pixelsense.screen.Input;
import dev.pixelsense.screen.KeyCombo;
import dev.pixelsense.screen.Point;
import dev.pixelsense.screen.Rect;
import dev.pixelsense.screen.Screen;
import dev.pixelsense.vision.ocr.Ocr;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Carries out one {@link AgentAction} on the real mouse and keyboard: maps its points to exact
 * desktop pixels, applies the deny lists and the dry-run and confirm modes, grounds click_text by
 * OCR and crops zooms. Never throws for something the model can fix: the {@link Outcome} text tells
 * it what happened. Settling and verification are the loop's job.
 */
final class ActionExecutor {
    /** What happened, for the model, the trace and the loop. */
    record Outcome(String text, boolean executed, boolean failed, List<Mark> marks, View.Zoomed zoom) {
        static Outcome failed(String text, List<Mark> marks) {
            return new Outcome(text, false, true, marks, null);
        }
    }

    private final Screen screen;
    private final Input input;
    private final Supplier<Ocr> ocr;
    private final List<Set<String>> denyKeys;
    private final List<String> denyWindows;
    private final boolean dryRun;
    private final Confirmer confirmer;
    private final int maxEdge;

    ActionExecutor(Screen screen, Input input, Supplier<Ocr> ocr, List<String> denyKeys, List<String> denyWindows,
                   boolean dryRun, Confirmer confirmer, int maxEdge) {
        this.screen = screen;
        this.input = input;
        this.ocr = ocr;
        this.denyKeys = denyKeys.stream().map(k -> Set.copyOf(KeyCombo.parse(k).keys())).toList();
        this.denyWindows = denyWindows.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList();
        this.dryRun = dryRun;
        this.confirmer = confirmer;
        this.maxEdge = maxEdge;
    }

    /** Thrown when the person answered "stop" in confirm mode. */
    static final class StoppedByUser extends RuntimeException {
        StoppedByUser() {
            super("stopped at the confirmation prompt");
        }
    }

    Outcome execute(AgentAction action, View view, View.Zoomed zoom) {
        try {
            return switch (action) {
                case AgentAction.Click c -> pointer(action, view, zoom, List.of(c.at()),
                        p -> input.click(p.getFirst(), c.button(), c.count()));
                case AgentAction.Drag d -> pointer(action, view, zoom, List.of(d.from(), d.to()),
                        p -> input.drag(p.get(0), p.get(1)));
                case AgentAction.Scroll s -> pointer(action, view, zoom, List.of(s.at()),
                        p -> input.scroll(p.getFirst(), s.dx(), s.dy()));
                case AgentAction.Move m -> pointer(action, view, zoom, List.of(m.to()), p -> input.move(p.getFirst()));
                case AgentAction.TypeText t -> keyboard(action, () -> input.type(t.text()));
                case AgentAction.KeyPress k -> keys(k);
                case AgentAction.Wait w -> waitFor(w);
                case AgentAction.Zoom z -> zoom(z, view);
                case AgentAction.ClickText ct -> clickText(ct, view);
                case AgentAction.GoalReached g -> new Outcome("done", false, false, List.of(), null);
                case AgentAction.GiveUp g -> new Outcome("stopped", false, false, List.of(), null);
            };
        } catch (BadRequestException e) {
            return Outcome.failed("Not done: " + e.getMessage(), List.of());
        }
    }

    @FunctionalInterface
    private interface PointerAct {
        void run(List<Point.Absolute> points);
    }

    private Outcome pointer(AgentAction action, View view, View.Zoomed zoom, List<AgentAction.Spot> spots,
                            PointerAct act) {
        List<Point.Absolute> points = new ArrayList<>();
        for (AgentAction.Spot s : spots) {
            Point p = s.inZoom() ? zoom.at(s.x(), s.y()) : view.at(s.x(), s.y());
            points.add(input.resolve(p)); // refuses a point on no monitor, naming it
        }
        List<Mark> marks = marks(action, points);
        for (Point.Absolute p : points) {
            Optional<String> denied = deniedWindow(screen.windowTitleAt((int) p.x(), (int) p.y()));
            if (denied.isPresent()) {
                return Outcome.failed("Refused: the window '" + denied.get() + "' at " + p + " is on the deny list.",
                        marks);
            }
        }
        String where = points.stream().map(Point.Absolute::toString).reduce((a, b) -> a + " -> " + b).orElse("");
        Outcome asked = ask(action, "at " + where, marks);
        if (asked != null) {
            return asked;
        }
        act.run(points);
        return new Outcome("Done at " + where + ".", true, false, marks, null);
    }

    private static List<Mark> marks(AgentAction action, List<Point.Absolute> p) {
        return switch (action) {
            case AgentAction.Drag d -> List.of(new Mark.Arrow(p.get(0).x(), p.get(0).y(), p.get(1).x(), p.get(1).y()));
            default -> List.of(new Mark.Crosshair(p.getFirst().x(), p.getFirst().y(), action.tool()));
        };
    }

    private Outcome keyboard(AgentAction action, Runnable act) {
        Optional<String> denied = deniedWindow(screen.focusedWindowTitle());
        if (denied.isPresent()) {
            return Outcome.failed("Refused: keyboard input to the window '" + denied.get() + "' is on the deny list.",
                    List.of());
        }
        Outcome asked = ask(action, "into " + screen.focusedWindowTitle().map(t -> "'" + t + "'")
                .orElse("the focused window"), List.of());
        if (asked != null) {
            return asked;
        }
        act.run();
        return new Outcome("Done.", true, false, List.of(), null);
    }

    private Outcome keys(AgentAction.KeyPress k) {
        Set<String> pressed = new HashSet<>(KeyCombo.parse(k.keys()).keys());
        if (denyKeys.contains(pressed)) {
            return Outcome.failed("Refused: " + k.keys() + " is on the deny list of key combos.", List.of());
        }
        return keyboard(k, () -> input.key(k.keys()));
    }

    /** Dry-run and confirm mode; null means go ahead. */
    private Outcome ask(AgentAction action, String where, List<Mark> marks) {
        if (dryRun) {
            return new Outcome("Dry run: planned " + action.describe() + " " + where + ", not executed.", false,
                    false, marks, null);
        }
        if (confirmer != null) {
            switch (confirmer.confirm(action, where)) {
                case YES -> {
                    return null;
                }
                case NO -> {
                    return Outcome.failed("The user declined " + action.describe() + ".", marks);
                }
                case STOP -> throw new StoppedByUser();
            }
        }
        return null;
    }

    private Optional<String> deniedWindow(Optional<String> title) {
        if (title.isEmpty() || denyWindows.isEmpty()) {
            return Optional.empty();
        }
        String lower = title.get().toLowerCase(Locale.ROOT);
        return denyWindows.stream().anyMatch(lower::contains) ? title : Optional.empty();
    }

    private Outcome waitFor(AgentAction.Wait w) {
        try {
            Thread.sleep((long) (w.seconds() * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("the run was stopped while waiting");
        }
        return new Outcome("Waited " + w.describe().substring(5, w.describe().length() - 1) + ".", true, false,
                List.of(), null);
    }

    private Outcome zoom(AgentAction.Zoom z, View view) {
        Frame f = view.frame();
        AgentAction.Box b = z.region();
        int x0 = (int) Math.floor(b.x() * f.width());
        int y0 = (int) Math.floor(b.y() * f.height());
        int x1 = Math.min(f.width(), Math.max(x0 + 1, (int) Math.ceil((b.x() + b.width()) * f.width())));
        int y1 = Math.min(f.height(), Math.max(y0 + 1, (int) Math.ceil((b.y() + b.height()) * f.height())));
        BufferedImage crop = f.toImage().getSubimage(x0, y0, x1 - x0, y1 - y0);
        // native pixels at least; small crops are enlarged (up to 4x) so the model sees detail
        int longer = Math.max(crop.getWidth(), crop.getHeight());
        double factor = Math.min(4.0, Math.max(1.0, 768.0 / longer));
        factor = Math.min(factor, (double) maxEdge / longer);
        int w = Math.max(1, (int) Math.round(crop.getWidth() * factor));
        int h = Math.max(1, (int) Math.round(crop.getHeight() * factor));
        BufferedImage shown = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = shown.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, factor > 1
                ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(crop, 0, 0, w, h, null);
        g.dispose();
        Rect covered = view.toDesktop(new Rect(x0, y0, x1 - x0, y1 - y0));
        return new Outcome("Zoomed into " + z.region() + " (desktop " + covered + "); the crop (" + w + "x" + h
                + ") is the next image. To click in it, pass zoom: true with coordinates in the crop.", true, false,
                List.of(new Mark.Box(covered, "zoom", false)), new View.Zoomed(covered, shown));
    }

    private Outcome clickText(AgentAction.ClickText ct, View view) {
        Ocr engine;
        try {
            engine = ocr.get();
        } catch (PixelsenseException | IllegalStateException e) {
            return Outcome.failed("click_text is unavailable here (" + e.getMessage() + "); use click with "
                    + "coordinates.", List.of());
        }
        Frame f = view.frame();
        List<TextTarget.Candidate> found = TextTarget.find(engine.recognize(f.pixels(), f.width(), f.height()).lines(),
                ct.text());
        List<Rect> boxes = found.stream().map(c -> view.toDesktop(c.box())).toList();
        if (found.isEmpty()) {
            return Outcome.failed("No text '" + ct.text() + "' is visible on the screen (OCR). Check the spelling, "
                    + "scroll, or click by coordinates.", List.of());
        }
        if (ct.nth() != null && ct.nth() > found.size()) {
            return Outcome.failed("There are only " + found.size() + " places showing '" + ct.text() + "'; nth "
                    + ct.nth() + " does not exist.", boxMarks(boxes, -1));
        }
        if (found.size() > 1 && ct.nth() == null) {
            StringBuilder list = new StringBuilder("Not clicked: '" + ct.text() + "' shows in " + found.size()
                    + " places; call click_text again with nth:");
            for (int i = 0; i < found.size(); i++) {
                Rect r = boxes.get(i);
                double[] c = view.toShown(r.x() + r.width() / 2.0, r.y() + r.height() / 2.0);
                list.append(String.format(Locale.ROOT, "%n%d. \"%s\" at (%.3f, %.3f)", i + 1, found.get(i).line(),
                        c[0] / view.shown().getWidth(), c[1] / view.shown().getHeight()));
            }
            return Outcome.failed(list.toString(), boxMarks(boxes, -1));
        }
        int index = ct.nth() == null ? 0 : ct.nth() - 1;
        Rect target = boxes.get(index);
        // the centre pixel of the box: floor of the midpoint, so it lies inside even for a 1-pixel box
        Point.Absolute p = input.resolve(Point.at(target.x() + target.width() / 2, target.y() + target.height() / 2));
        List<Mark> marks = new ArrayList<>(boxMarks(boxes, index));
        marks.add(new Mark.Crosshair(p.x(), p.y(), "click_text"));
        Optional<String> denied = deniedWindow(screen.windowTitleAt((int) p.x(), (int) p.y()));
        if (denied.isPresent()) {
            return Outcome.failed("Refused: the window '" + denied.get() + "' is on the deny list.", marks);
        }
        Outcome asked = ask(ct, "at " + p + " ('" + found.get(index).line() + "')", marks);
        if (asked != null) {
            return asked;
        }
        input.click(p, ct.button(), ct.count());
        return new Outcome("Clicked '" + found.get(index).line() + "' at " + p + ".", true, false, marks, null);
    }

    private static List<Mark> boxMarks(List<Rect> boxes, int chosen) {
        List<Mark> marks = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            marks.add(new Mark.Box(boxes.get(i), Integer.toString(i + 1), i == chosen));
        }
        return marks;
    }
}
