package dev.pixelsense.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The run's report.html: one page, no external files (screenshots inlined as data URLs, styles
 * inline), so it can be mailed or attached to a bug as it is. Header with goal, status and
 * totals, then one section per step: the annotated screenshot, what the model said and called,
 * and each action's result with its timings.
 */
final class Report {
    private Report() {}

    static String html(List<AgentEvent> events, List<String> stepImages, Path dir) throws IOException {
        StringBuilder h = new StringBuilder(64 * 1024);
        AgentEvent run = events.stream().filter(e -> e.type().equals("run")).findFirst().orElse(null);
        AgentEvent end = events.stream().filter(e -> e.type().equals("end")).reduce((a, b) -> b).orElse(null);
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>pixelsense agent run</title><style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1400px;color:#222}")
                .append("h1{font-size:20px}section{border-top:1px solid #ccc;padding:12px 0}")
                .append("img{max-width:100%;border:1px solid #999}table{border-collapse:collapse}")
                .append("td,th{padding:2px 10px 2px 0;vertical-align:top;text-align:left}")
                .append(".fail{color:#b00}.ok{color:#070}.muted{color:#777}pre{white-space:pre-wrap;margin:0}")
                .append("</style></head><body>");
        h.append("<h1>Agent run ").append(esc(run == null ? "" : str(run, "id"))).append("</h1><table>");
        if (run != null) {
            row(h, "goal", str(run, "goal"));
            row(h, "model", str(run, "model"));
            row(h, "screen", str(run, "screen") + " shown as " + str(run, "shown"));
            row(h, "mode", Boolean.TRUE.equals(run.get("dry_run")) ? "dry run (nothing executed)" : "live");
        }
        if (end != null) {
            row(h, "status", str(end, "status"));
            row(h, "result", str(end, "message"));
            row(h, "steps", str(end, "steps") + " in " + str(end, "duration_ms") + " ms");
        }
        h.append("</table>");
        int steps = events.stream().mapToInt(AgentEvent::step).max().orElse(0);
        for (int s = 1; s <= steps; s++) {
            int step = s;
            h.append("<section><h2>Step ").append(step).append("</h2>");
            String image = step - 1 < stepImages.size() ? stepImages.get(step - 1) : null;
            if (image != null && Files.exists(dir.resolve(image))) {
                h.append("<img alt=\"step ").append(step).append("\" src=\"data:image/jpeg;base64,")
                        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve(image))))
                        .append("\">");
            }
            h.append("<table>");
            for (AgentEvent e : events) {
                if (e.step() != step) {
                    continue;
                }
                switch (e.type()) {
                    case "response" -> {
                        if (e.get("text") != null && !str(e, "text").isBlank()) {
                            row(h, "model says", str(e, "text"));
                        }
                        h.append("<tr><th>model</th><td class=\"muted\">").append(esc(str(e, "model_ms")))
                                .append(" ms</td></tr>");
                    }
                    case "action" -> {
                        boolean failed = Boolean.TRUE.equals(e.get("failed"));
                        h.append("<tr><th>").append(esc(str(e, "action"))).append("</th><td class=\"")
                                .append(failed ? "fail" : "ok").append("\"><pre>").append(esc(str(e, "result")))
                                .append("</pre><span class=\"muted\">").append(esc(timings(e.data())))
                                .append("</span></td></tr>");
                    }
                    case "step" -> h.append("<tr><th>step</th><td class=\"muted\">")
                            .append(esc(timings(e.data()))).append("</td></tr>");
                    default -> {
                    }
                }
            }
            h.append("</table></section>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String timings(Map<String, Object> data) {
        StringBuilder t = new StringBuilder();
        data.forEach((k, v) -> {
            if (k.endsWith("_ms")) {
                t.append(t.isEmpty() ? "" : ", ").append(k, 0, k.length() - 3).append(' ').append(v).append(" ms");
            }
        });
        return t.toString();
    }

    private static void row(StringBuilder h, String key, String value) {
        h.append("<tr><th>").append(esc(key)).append("</th><td><pre>").append(esc(value)).append("</pre></td></tr>");
    }

    private static String str(AgentEvent e, String key) {
        Object v = e.get(key);
        return v == null ? "" : v.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
