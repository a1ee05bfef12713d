package dev.pixelsense.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelsense.error.BadRequestException;
import dev.pixelsense.error.PixelsenseException;
import dev.pixelsense.openai.OpenAiJson;
import dev.pixelsense.store.ModelStore;
import dev.pixelsense.store.PullProgress;
import dev.pixelsense.store.StoredFile;
import dev.pixelsense.vision.ocr.OcrModels;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST /api/pull {"ref": "...", "stream": true}}: pulls into the model cache. Streamed (the
 * default), progress goes out as NDJSON lines, or as SSE when the client accepts
 * {@code text/event-stream}; the last line is {@code {"status":"success",...}} or
 * {@code {"status":"error","error":{...}}}. With {@code "stream": false} the answer comes at the end.
 */
final class PullHandler {
    private final Supplier<ModelStore> store;

    PullHandler(Supplier<ModelStore> store) {
        this.store = store;
    }

    void handle(Context ctx) throws IOException {
        JsonNode body = OpenAiJson.read(ChatHandler.body(ctx, 64 * 1024), JsonNode.class);
        if (body == null || !body.path("ref").isTextual() || body.path("ref").asText().isBlank()) {
            throw new BadRequestException("'ref' is required: a catalog name, hf://owner/repo/file or an https:// URL",
                    "ref");
        }
        String ref = body.path("ref").asText();
        if (!body.path("stream").asBoolean(true)) {
            List<StoredFile> files = store.get().pull(ref, PullProgress.Listener.NONE);
            OcrModels.prepareAfterPull(store.get(), ref, PullProgress.Listener.NONE);
            ctx.contentType("application/json").result(OpenAiJson.write(success(ref, files)));
            return;
        }
        boolean sse = String.valueOf(ctx.header("Accept")).contains("text/event-stream");
        var res = ctx.res();
        res.setStatus(200);
        res.setContentType(sse ? "text/event-stream" : "application/x-ndjson");
        res.setHeader("Cache-Control", "no-cache");
        OutputStream out = res.getOutputStream();
        Sink sink = new Sink(out, sse);
        try {
            List<StoredFile> files = store.get().pull(ref, p -> sink.send(progress(p)));
            OcrModels.prepareAfterPull(store.get(), ref, p -> sink.send(progress(p)));
            sink.send(success(ref, files));
        } catch (PixelsenseException e) {
            ObjectNode error = OpenAiJson.MAPPER.createObjectNode().put("status", "error");
            error.set("error", OpenAiJson.MAPPER.readTree(ErrorMapper.body(e.getMessage(), e.type(), e.param(), e.code()))
                    .path("error"));
            sink.send(error);
        }
    }

    private static ObjectNode progress(PullProgress p) {
        ObjectNode n = OpenAiJson.MAPPER.createObjectNode().put("status", p.status()).put("ref", p.ref());
        if (p.file() != null) {
            n.put("file", p.file());
        }
        if (p.total() >= 0 || p.completed() > 0) {
            n.put("completed", p.completed()).put("total", p.total());
        }
        if (p.bytesPerSecond() > 0) {
            n.put("bytes_per_second", Math.round(p.bytesPerSecond())).put("eta_seconds", p.etaSeconds());
        }
        if (p.message() != null) {
            n.put("message", p.message());
        }
        return n;
    }

    private static ObjectNode success(String ref, List<StoredFile> files) {
        ObjectNode n = OpenAiJson.MAPPER.createObjectNode().put("status", "success").put("ref", ref);
        var list = n.putArray("files");
        for (StoredFile f : files) {
            list.addObject().put("name", f.name()).put("sha256", f.sha256()).put("size", f.size())
                    .put("verified", f.verified()).put("path", f.path().toString());
        }
        return n;
    }

    /** Writes one event per line (NDJSON) or per SSE message; a client gone is not our failure. */
    private static final class Sink {
        private final OutputStream out;
        private final boolean sse;
        private boolean gone;

        Sink(OutputStream out, boolean sse) {
            this.out = out;
            this.sse = sse;
        }

        void send(ObjectNode event) {
            if (gone) {
                return;
            }
            try {
                if (sse) {
                    out.write("data: ".getBytes(StandardCharsets.US_ASCII));
                }
                out.write(OpenAiJson.write(event));
                out.write((sse ? "\n\n" : "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the pull goes on: the file lands in the cache for the next request
                gone = true;
            }
        }
    }
}
