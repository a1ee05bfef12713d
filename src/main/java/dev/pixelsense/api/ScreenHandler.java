package dev.pixelsense.api;

import dev.pixelsense.error.PermissionException;
import dev.pixelsense.screen.Monitor;
import dev.pixelsense.screen.Screen;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Screen routes ({@code /api/monitors}). The screen shows whatever the user has open, so these
 * answer loopback clients only, whatever the bind address and keys: an API key proves the caller
 * may use models, not that it may watch this desktop. The screen is opened on first use (the
 * server may start before the display) and kept; a failure to open is a 503 saying what to do.
 */
final class ScreenHandler implements AutoCloseable {
    private Screen screen;
    private boolean closed;

    void monitors(Context ctx) {
        requireLoopback(ctx);
        List<Map<String, Object>> data = screen().monitors().stream().map(ScreenHandler::describe).toList();
        ctx.json(Map.of("object", "list", "data", data));
    }

    private static Map<String, Object> describe(Monitor m) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", m.id());
        node.put("name", m.name());
        node.put("x", m.bounds().x());
        node.put("y", m.bounds().y());
        node.put("width", m.bounds().width());
        node.put("height", m.bounds().height());
        node.put("scale", m.scale());
        node.put("primary", m.primary());
        node.put("toolkit_scale", m.toolkitScale());
        return node;
    }

    static void requireLoopback(Context ctx) {
        boolean loopback;
        try {
            loopback = InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new PermissionException("Screen access is only allowed from this machine (loopback clients)",
                    "screen_loopback_only");
        }
    }

    synchronized Screen screen() {
        if (closed) {
            throw new IllegalStateException("the server is stopping");
        }
        if (screen == null) {
            screen = Screen.open();
        }
        return screen;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (screen != null) {
            screen.close();
        }
    }
}
