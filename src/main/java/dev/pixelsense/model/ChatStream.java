package dev.pixelsense.model;

import dev.pixelsense.openai.ChatChunk;
import dev.pixelsense.openai.ChunkJson;

/**
 * A streamed answer, pulled one chunk at a time by one thread. {@link #close()} cancels the
 * answer at its source (the upstream request is closed, the runner slot freed) and is
 * idempotent; always close, also after the last chunk.
 */
public interface ChatStream extends AutoCloseable {

    /**
     * Blocks until the next chunk.
     *
     * @return the next chunk, or null once the answer is complete
     * @throws dev.pixelsense.error.PixelsenseException if the answer failed or timed out
     */
    ChatChunk next();

    /**
     * The next chunk as JSON text, for relaying it without a parse and a re-write. Streams that
     * read an upstream's text return it as it came; the default writes {@link #next()}.
     *
     * @return the next chunk, or null once the answer is complete
     * @throws dev.pixelsense.error.PixelsenseException if the answer failed or timed out
     */
    default ChunkJson nextJson() {
        ChatChunk c = next();
        return c == null ? null : ChunkJson.of(c);
    }

    @Override
    void close();
}
