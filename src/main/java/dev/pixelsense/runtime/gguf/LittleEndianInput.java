package dev.pixelsense.runtime.gguf;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Buffered little-endian reads from a file channel that know their absolute position. Skips
 * beyond the buffer move the channel instead of reading, so skipping a 100 MB array costs nothing.
 * Not thread-safe; one per read.
 */
final class LittleEndianInput {
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN).limit(0);
    private long bufferStart; // file position of buffer index 0

    LittleEndianInput(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    long position() {
        return bufferStart + buffer.position();
    }

    long remaining() {
        return size - position();
    }

    int u8() throws IOException {
        need(1);
        return buffer.get() & 0xFF;
    }

    int i32() throws IOException {
        need(4);
        return buffer.getInt();
    }

    long u32() throws IOException {
        return Integer.toUnsignedLong(i32());
    }

    long i64() throws IOException {
        need(8);
        return buffer.getLong();
    }

    short i16() throws IOException {
        need(2);
        return buffer.getShort();
    }

    float f32() throws IOException {
        need(4);
        return buffer.getFloat();
    }

    double f64() throws IOException {
        need(8);
        return buffer.getDouble();
    }

    /** Bytes that must all be in the file; callers check {@code length} against {@link #remaining()} first. */
    String utf8(int length) throws IOException {
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            need(1);
            int n = Math.min(buffer.remaining(), length - done);
            buffer.get(bytes, done, n);
            done += n;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    void skip(long n) throws IOException {
        if (n > remaining()) {
            throw new EOFException();
        }
        if (n <= buffer.remaining()) {
            buffer.position(buffer.position() + (int) n);
            return;
        }
        long target = position() + n;
        channel.position(target);
        buffer.clear().limit(0);
        bufferStart = target;
    }

    private void need(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return;
        }
        bufferStart += buffer.position();
        buffer.compact();
        while (buffer.position() < n) {
            if (channel.read(buffer) < 0) {
                buffer.flip();
                throw new EOFException();
            }
        }
        buffer.flip();
    }
}
