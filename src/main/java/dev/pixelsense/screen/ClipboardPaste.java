package dev.pixelsense.screen;

import dev.pixelsense.error.UnavailableException;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.Transferable;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.awt.event.KeyEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Types text by pasting it: the Robot backend's way to enter characters no virtual key produces.
 * The clipboard's text, image and file-list contents are read first and put back after the
 * application has fetched the pasted text. On X11 the application fetches it from us, so we see
 * the moment; where the platform copies the data at once nobody asks, and we put the old contents
 * back after {@link #FETCH_WAIT_MILLIS}. Other flavors of the old contents are not kept.
 */
final class ClipboardPaste {
    static final long FETCH_WAIT_MILLIS = 1000;
    /** After the fetch: time for the reply to reach the application before we own the clipboard again. */
    static final long SETTLE_MILLIS = 100;
    private static final List<DataFlavor> KEPT = List.of(DataFlavor.stringFlavor, DataFlavor.imageFlavor,
            DataFlavor.javaFileListFlavor);

    private final Robot robot;
    private final int pasteModifier;

    ClipboardPaste(Robot robot, boolean mac) {
        this.robot = robot;
        this.pasteModifier = mac ? KeyEvent.VK_META : KeyEvent.VK_CONTROL;
    }

    void paste(String text) {
        Clipboard clipboard = Toolkit.getDefaultToolkit().getSystemClipboard();
        Map<DataFlavor, Object> previous = snapshot(clipboard);
        Contents ours = new Contents(Map.of(DataFlavor.stringFlavor, text), new CountDownLatch(1), new AtomicBoolean());
        set(clipboard, ours);
        ours.armed().set(true); // a platform that copies at once has done so: only the paste counts now
        robot.keyPress(pasteModifier);
        robot.keyPress(KeyEvent.VK_V);
        robot.keyRelease(KeyEvent.VK_V);
        robot.keyRelease(pasteModifier);
        try {
            if (ours.fetched().await(FETCH_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                Thread.sleep(SETTLE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            set(clipboard, new Contents(previous, new CountDownLatch(1), new AtomicBoolean()));
        }
    }

    private static Map<DataFlavor, Object> snapshot(Clipboard clipboard) {
        Map<DataFlavor, Object> kept = new LinkedHashMap<>();
        try {
            Transferable old = clipboard.getContents(null);
            if (old != null) {
                for (DataFlavor f : KEPT) {
                    if (old.isDataFlavorSupported(f)) {
                        kept.put(f, old.getTransferData(f));
                    }
                }
            }
        } catch (IllegalStateException | UnsupportedFlavorException | java.io.IOException e) {
            // the old contents cannot be read (owner gone, busy): there is nothing we could restore
        }
        return kept;
    }

    private void set(Clipboard clipboard, Transferable contents) {
        for (int attempt = 0; ; attempt++) {
            try {
                clipboard.setContents(contents, null);
                return;
            } catch (IllegalStateException e) { // another application has the clipboard open (Windows)
                if (attempt == 5) {
                    throw new UnavailableException("The clipboard is busy; cannot paste text: " + e.getMessage());
                }
                robot.delay(20);
            }
        }
    }

    /** Fixed contents; counts down {@code fetched} when an application reads them once {@code armed}. */
    private record Contents(Map<DataFlavor, Object> data, CountDownLatch fetched, AtomicBoolean armed)
            implements Transferable {
        @Override
        public DataFlavor[] getTransferDataFlavors() {
            return data.keySet().toArray(DataFlavor[]::new);
        }

        @Override
        public boolean isDataFlavorSupported(DataFlavor flavor) {
            return data.containsKey(flavor);
        }

        @Override
        public Object getTransferData(DataFlavor flavor) throws UnsupportedFlavorException {
            Object value = data.get(flavor);
            if (value == null) {
                throw new UnsupportedFlavorException(flavor);
            }
            if (armed.get()) {
                fetched.countDown();
            }
            return value;
        }
    }
}
