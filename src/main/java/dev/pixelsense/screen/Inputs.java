package dev.pixelsense.screen;

import dev.pixelsense.error.UnavailableException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses the input implementation for this platform and logs the choice once. */
final class Inputs {
    private static final Logger log = LoggerFactory.getLogger(Input.class);
    private static final AtomicBoolean logged = new AtomicBoolean();

    private Inputs() {}

    static Input open(String display, Input.Backend backend) {
        if (Screens.isMacOrWindows()) {
            if (backend == Input.Backend.XTEST) {
                throw new UnavailableException("The xtest input backend needs Linux with X11; use robot here");
            }
            return chosen(RobotDevice.open(), "");
        }
        String name = Screens.displayName(display);
        if (backend != Input.Backend.ROBOT) {
            try {
                return chosen(XTestDevice.open(name), " on " + name);
            } catch (IllegalStateException e) {
                if (backend == Input.Backend.XTEST) {
                    throw new UnavailableException("X11 XTest input is not available on " + name + ": "
                            + e.getMessage());
                }
                log.info("Input: XTest is not available on {} ({}); using java.awt.Robot", name, e.getMessage());
            }
        }
        Screens.requireJvmDisplay(name, "input");
        return chosen(RobotDevice.open(), " on " + name);
    }

    private static Input chosen(InputDevice device, String where) {
        if (logged.compareAndSet(false, true)) {
            log.info("Input: {}{}", device.name().equals("xtest") ? "X11 XTest" : "java.awt.Robot", where);
        }
        return new DeviceInput(device);
    }
}
