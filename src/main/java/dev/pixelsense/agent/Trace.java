package dev.pixelsense.agent;

import dev.pixelsense.error.StorageException;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.vision.ImageEncoder;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's folder: {@code trace.jsonl} (every {@link AgentEvent}, written as it happens, so a
 * crashed run still leaves its trace), {@code step-NN.jpg} (the screenshot the model saw at each
 * step, with the step's actions drawn on it: crosshairs at clicks, arrows for drags, boxes for
 * OCR matches and zooms) and {@code report.html}, one self-contained page (images inlined) a
 * person can scroll through. Not thread-safe: one run writes its trace.
 */
final class Trace implements AutoCloseable {
    private static final Color CLICK = new Color(255, 40, 40);
    private static final Color CHOSEN = new Color(40, 200, 80);
    private static final Color CANDIDATE = new Color(255, 190, 0);

    private final Path dir;
    private final OutputStream jsonl;
    private final List<AgentEvent> events = new ArrayList<>();
    private final List<String> stepImages = new ArrayList<>();
    private final List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().daemon().name("agent-trace").unstarted(r));

    private Trace(Path dir, OutputStream jsonl) {
        this.dir = dir;
        this.jsonl = jsonl;
    }

    static Trace create(Path dir) {
        try {
            Files.createDirectories(dir);
            return new Trace(dir, Files.newOutputStream(dir.resolve("trace.jsonl"), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new StorageException("cannot create the agent trace folder " + dir + ": " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    Path report() {
        return dir.resolve("report.html");
    }

    void record(AgentEvent event) {
        events.add(event);
        try {
            jsonl.write(OpenAiJson.write(event));
            jsonl.write('\n');
            jsonl.flush();
        } catch (IOException e) {
            throw new StorageException("cannot write the agent trace in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes step {@code step}'s screenshot with its marks, on the trace's own thread (it overlaps
     * the next model call instead of adding to the step); returns the file name.
     */
    String step(int step, View view, List<Mark> marks) {
        String name = String.format("step-%02d.jpg", step);
        while (stepImages.size() < step) {
            stepImages.add(null);
        }
        stepImages.set(step - 1, name);
        List<Mark> copy = List.copyOf(marks);
        writes.add(writer.submit(() -> {
            writeStep(name, view, copy);
            return null;
        }));
        return name;
    }

    private void writeStep(String name, View view, List<Mark> marks) {
        BufferedImage shown = view.shown();
        BufferedImage out = new BufferedImage(shown.getWidth(), shown.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(shown, 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        for (Mark m : marks) {
            draw(g, view, m);
        }
        g.dispose();
        try {
            Files.write(dir.resolve(name), ImageEncoder.encode(out, ImageEncoder.Format.JPEG, 0.85f));
        } catch (IOException e) {
            throw new StorageException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    private static void draw(Graphics2D g, View view, Mark mark) {
        switch (mark) {
            case Mark.Crosshair c -> {
                double[] p = view.toShown(c.x() + 0.5, c.y() + 0.5);
                int x = (int) p[0];
                int y = (int) p[1];
                g.setColor(CLICK);
                g.setStroke(new BasicStroke(2));
                g.drawOval(x - 9, y - 9, 18, 18);
                g.drawLine(x - 15, y, x - 4, y);
                g.drawLine(x + 4, y, x + 15, y);
                g.drawLine(x, y - 15, x, y - 4);
                g.drawLine(x, y + 4, x, y + 15);
                g.drawString(c.label(), x + 12, y - 12);
            }
            case Mark.Arrow a -> {
                double[] p = view.toShown(a.x1() + 0.5, a.y1() + 0.5);
                double[] q = view.toShown(a.x2() + 0.5, a.y2() + 0.5);
                g.setColor(CLICK);
                g.setStroke(new BasicStroke(3));
                g.drawLine((int) p[0], (int) p[1], (int) q[0], (int) q[1]);
                double angle = Math.atan2(q[1] - p[1], q[0] - p[0]);
                for (double side : new double[] {-0.5, 0.5}) {
                    g.drawLine((int) q[0], (int) q[1], (int) (q[0] - 14 * Math.cos(angle + side)),
                            (int) (q[1] - 14 * Math.sin(angle + side)));
                }
            }
            case Mark.Box b -> {
                double[] p = view.toShown(b.rect().x(), b.rect().y());
                double[] q = view.toShown(b.rect().right(), b.rect().bottom());
                g.setColor(b.chosen() ? CHOSEN : CANDIDATE);
                g.setStroke(new BasicStroke(b.chosen() ? 3 : 2));
                g.drawRect((int) p[0] - 2, (int) p[1] - 2, (int) (q[0] - p[0]) + 4, (int) (q[1] - p[1]) + 4);
                g.drawString(b.label(), (int) p[0], (int) p[1] - 5);
            }
        }
    }

    /** Writes report.html from the events and step images so far (called at the end of a run). */
    void writeReport() {
        for (java.util.concurrent.Future<?> w : writes) {
            try {
                w.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new StorageException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StorageException("interrupted while writing the trace in " + dir, e);
            }
        }
        writes.clear();
        try {
            Files.writeString(report(), Report.html(events, stepImages, dir), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StorageException("cannot write " + report() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            jsonl.close();
        } catch (IOException e) {
            // the trace lines were flushed one by one; nothing more to save
        }
    }
}
