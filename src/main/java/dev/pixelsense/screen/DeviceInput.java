package dev.pixelsense.screen;

import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.CancelledException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one implementation of {@link Input}: points, combos, drags, click counts, validation and
 * locking, over an {@link InputDevice} that only fakes raw events.
 */
final class DeviceInput implements Input {
    /** Pause after each intermediate move of a drag: applications sample motion, not every event. */
    static final long DRAG_STEP_PAUSE_MILLIS = 8;
    static final int MAX_WHEEL_NOTCHES = 100;

    private final InputDevice device;
    private final Set<Button> buttonsDown = EnumSet.noneOf(Button.class);
    private final Set<String> keysDown = new LinkedHashSet<>();
    private boolean closed;

    DeviceInput(InputDevice device) {
        this.device = device;
    }

    @Override
    public String backend() {
        return device.name();
    }

    @Override
    public synchronized List<Monitor> monitors() {
        checkOpen();
        return device.monitors();
    }

    @Override
    public synchronized Point.Absolute resolve(Point point) {
        checkOpen();
        int[] p = pixel(point);
        return Point.at(p[0], p[1]);
    }

    private int[] pixel(Point point) {
        List<Monitor> monitors = device.monitors();
        int[] p = switch (point) {
            case Point.Absolute a -> new int[] {(int) Math.floor(a.x()), (int) Math.floor(a.y())};
            case Point.Normalized n -> {
                Rect r = Screens.resolve(n.relativeTo(), device.desktop(), () -> monitors);
                yield new int[] {Point.pixel(r.x(), r.width(), n.x()), Point.pixel(r.y(), r.height(), n.y())};
            }
        };
        if (monitors.stream().noneMatch(m -> m.bounds().contains(p[0], p[1]))) {
            throw new BadRequestException("The point " + point + " is not on any monitor; the monitors are "
                    + monitors.stream().map(m -> m.id() + " at " + m.bounds()).toList(), "point");
        }
        return p;
    }

    @Override
    public synchronized Point.Absolute position() {
        checkOpen();
        int[] p = device.pointer();
        return Point.at(p[0], p[1]);
    }

    @Override
    public synchronized void move(Point to) {
        checkOpen();
        int[] p = pixel(to);
        device.moveTo(p[0], p[1]);
        device.flush();
    }

    @Override
    public synchronized void click(Point at, Button button, int count) {
        checkOpen();
        if (count < 1 || count > 3) {
            throw new BadRequestException("A click count is 1, 2 or 3, got " + count, "count");
        }
        int[] p = pixel(at);
        device.moveTo(p[0], p[1]);
        for (int i = 0; i < count; i++) {
            device.button(button, true);
            device.button(button, false);
        }
        device.flush();
    }

    @Override
    public synchronized void press(Button button) {
        checkOpen();
        device.button(button, true);
        buttonsDown.add(button);
        device.flush();
    }

    @Override
    public synchronized void release(Button button) {
        checkOpen();
        device.button(button, false);
        buttonsDown.remove(button);
        device.flush();
    }

    @Override
    public synchronized void drag(Point from, Point to, Button button, int steps) {
        checkOpen();
        if (steps < 1 || steps > 1000) {
            throw new BadRequestException("A drag takes 1 to 1000 steps, got " + steps, "steps");
        }
        int[] a = pixel(from);
        int[] b = pixel(to);
        device.moveTo(a[0], a[1]);
        device.button(button, true);
        try {
            for (int i = 1; i <= steps; i++) {
                device.moveTo(a[0] + (int) Math.round((b[0] - a[0]) * (double) i / steps),
                        a[1] + (int) Math.round((b[1] - a[1]) * (double) i / steps));
                device.flush();
                pause(DRAG_STEP_PAUSE_MILLIS);
            }
        } finally {
            device.button(button, false);
            device.flush();
        }
    }

    @Override
    public synchronized void scroll(Point at, int dx, int dy) {
        checkOpen();
        if (Math.abs(dx) > MAX_WHEEL_NOTCHES || Math.abs(dy) > MAX_WHEEL_NOTCHES) {
            throw new BadRequestException("Scroll at most " + MAX_WHEEL_NOTCHES + " notches per call, got " + dx + ","
                    + dy, "scroll");
        }
        int[] p = pixel(at);
        device.moveTo(p[0], p[1]);
        device.wheel(dx, dy);
        device.flush();
    }

    @Override
    public synchronized void key(String combo) {
        List<String> keys = checked(combo);
        try {
            keys.forEach(k -> device.key(k, true));
        } finally {
            keys.reversed().forEach(k -> device.key(k, false));
            device.flush();
        }
    }

    @Override
    public synchronized void keyDown(String combo) {
        for (String k : checked(combo)) {
            device.key(k, true);
            keysDown.add(k);
        }
        device.flush();
    }

    @Override
    public synchronized void keyUp(String combo) {
        for (String k : checked(combo).reversed()) {
            device.key(k, false);
            keysDown.remove(k);
        }
        device.flush();
    }

    @Override
    public synchronized void hold(String combo, Duration duration) {
        if (duration.isNegative() || duration.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new BadRequestException("Hold a key for 0 to 60 s, got " + duration, "duration");
        }
        keyDown(combo);
        try {
            pause(duration.toMillis());
        } finally {
            keyUp(combo);
        }
    }

    /** The combo's keys, all known to the device, before any is pressed. */
    private List<String> checked(String combo) {
        checkOpen();
        List<String> keys = KeyCombo.parse(combo).keys();
        keys.forEach(device::checkKey);
        return keys;
    }

    @Override
    public synchronized void type(String text) {
        checkOpen();
        if (text.isEmpty()) {
            return;
        }
        device.type(text);
        device.flush();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("interrupted while pausing between input events");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("input is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // never leave a key or a button held down on the user's display
            for (String k : new ArrayList<>(keysDown).reversed()) {
                device.key(k, false);
            }
            for (Button b : buttonsDown) {
                device.button(b, false);
            }
            device.flush();
        } finally {
            device.close();
        }
    }
}
