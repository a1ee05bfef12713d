package dev.pixelsense.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The screen tests' desktop, as a JUnit extension: a real two-monitor Xvfb (Xinerama: 1920x1080 and
 * 1280x1024, both at the origin) with an {@link InputWindow} over the first monitor, started before
 * the class's tests and stopped after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDesktop desktop = new TestDesktop();
 * }</pre>
 */
public final class TestDesktop implements BeforeAllCallback, AfterAllCallback {
    private Xvfb xvfb;
    private InputWindowProcess window;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        xvfb = Xvfb.start("+xinerama", "-screen", "0", "1920x1080x24", "-screen", "1", "1280x1024x24");
        window = InputWindowProcess.start(xvfb.display(), "0,0,1920,1080");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (window != null) {
            window.close();
        }
        if (xvfb != null) {
            xvfb.close();
        }
    }

    /** The X display name, e.g. {@code :93}. */
    public String display() {
        return xvfb.display();
    }

    /** The window over monitor 0 that records the events it receives. */
    public InputWindowProcess window() {
        return window;
    }
}
