package dev.pixelsense.model;

import dev.pixelsense.error.CancelledException;
import dev.pixelsense.error.PixelsenseException;
import dev.pixelsense.openai.ChatChunk;
import dev.pixelsense.openai.ChunkJson;
import dev.pixelsense.openai.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream that has produced its first chunk, from the model that serves it. From here on there
 * is no fallback: a failure ends the answer. Closing releases the model's slot and records the
 * outcome; it cancels the upstream if the answer was not complete.
 */
public final class ServedStream implements ChatStream {
    private static final Logger log = LoggerFactory.getLogger(ServedStream.class);
    private final String servedBy;
    private final ChatStream source;
    private final Admission.Permit permit;
    private final ModelMetrics metrics;
    private final boolean clientWantsUsage;
    private final long start = System.nanoTime();
    private ChunkJson pending;
    private boolean complete;
    private boolean failed;
    private boolean cancelled;
    private boolean closed;

    private final Runnable onClose;

    ServedStream(String servedBy, ChatStream source, ChunkJson first, Admission.Permit permit, ModelMetrics metrics,
                 boolean clientWantsUsage, Runnable onClose) {
        this.onClose = onClose;
        this.servedBy = servedBy;
        this.source = source;
        this.pending = first;
        this.permit = permit;
        this.metrics = metrics;
        this.clientWantsUsage = clientWantsUsage;
        this.complete = first == null;
    }

    /** The id of the model that answers (the requested one or a fallback). */
    public String servedBy() {
        return servedBy;
    }

    @Override
    public ChatChunk next() {
        ChunkJson json = nextJson();
        if (json == null) {
            return null;
        }
        try {
            return json.chunk();
        } catch (PixelsenseException e) {
            failed = true;
            complete = true;
            throw e;
        }
    }

    /** The next chunk's text as the client gets it: named after the serving model, usage as asked. */
    @Override
    public ChunkJson nextJson() {
        while (true) {
            ChunkJson chunk;
            if (pending != null) {
                chunk = pending;
                pending = null;
            } else if (complete) {
                return null;
            } else {
                try {
                    chunk = source.nextJson();
                } catch (PixelsenseException e) {
                    failed = !(e instanceof CancelledException);
                    cancelled = e instanceof CancelledException;
                    complete = true;
                    throw e;
                }
                if (chunk == null) {
                    complete = true;
                    return null;
                }
            }
            Usage usage = usageOf(chunk);
            if (usage != null) {
                metrics.tokens.add(usage.promptTokens(), servedBy, "in");
                metrics.tokens.add(usage.completionTokens(), servedBy, "out");
                if (!clientWantsUsage) {
                    if (chunk.usageOnly()) {
                        continue;
                    }
                    chunk = chunk.withoutUsage();
                }
            }
            return chunk.withModel(servedBy);
        }
    }

    private Usage usageOf(ChunkJson chunk) {
        try {
            return chunk.usage();
        } catch (PixelsenseException e) {
            log.warn("model '{}': {}", servedBy, e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            source.close();
        } finally {
            permit.close();
            onClose.run();
            String outcome = failed ? "error" : cancelled || !complete ? "cancelled" : "ok";
            metrics.requests.inc(servedBy, outcome);
            metrics.duration.observe((System.nanoTime() - start) / 1e9, servedBy);
        }
    }
}
