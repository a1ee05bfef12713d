package dev.pixelsense.bench;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.store.PullProgress;
import dev.pixelsense.store.StoredFile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

/**
 * The in-process half of {@code bench/pull}: times pixelsense's pull without JVM start-up, a
 * resumed pull split into "rehash and reconnect" and "remaining download", and the parts a pull is
 * made of, each alone, to say where the time goes. Prints {@code key value} lines on stdout for
 * the script; progress goes to stderr.
 *
 * <pre>
 * PullDriver pull WORKDIR REF REPS     fresh store per repetition: {@code pull SECONDS BYTES CPU_SECONDS}
 * PullDriver resume STORE_DIR REF      finishes a partial left by a killed pull
 * PullDriver profile URL FILE [http]   SHA-256 alone, rehash of a file, HttpClient read alone,
 *                                      read+hash, read+write, read+hash+write, the same filling the
 *                                      256 KiB buffer before each write, and the same work done in a
 *                                      BodySubscriber instead of ofInputStream
 *                                      ({@code http}: only the parts over HTTP)
 * </pre>
 *
 * The HttpClient is built like the store's (HTTP/2 preferred, no redirects), and the copy loops
 * use the Downloader's 256 KiB buffer, so the parts add up to what a pull does.
 */
public final class PullDriver {
    private static final int BUFFER = 256 * 1024;
    private static long bytesPerRead;

    private PullDriver() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "pull" -> pull(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
            case "resume" -> resume(Path.of(args[1]), args[2]);
            case "profile" -> profile(URI.create(args[1]), Path.of(args[2]), args.length < 4 || !args[3].equals("http"));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void pull(Path work, String ref, int reps) throws IOException {
        for (int i = 1; i <= reps; i++) {
            Path store = work.resolve("store-inprocess-" + i);
            deleteTree(store);
            try (Pixelsense px = Pixelsense.open(config(store, work))) {
                cpuSinceLast();
                long t0 = System.nanoTime();
                List<StoredFile> files = px.store().pull(ref, PullProgress.Listener.NONE);
                report("pull", files.getFirst().size(), t0);
            }
            deleteTree(store);
        }
    }

    private static void resume(Path store, String ref) {
        long[] firstBytes = {-1};
        long[] firstAt = {0};
        long t0;
        try (Pixelsense px = Pixelsense.open(config(store, store.getParent()))) {
            var modelStore = px.store();
            t0 = System.nanoTime();
            modelStore.pull(ref, p -> {
                if (p.status().equals("downloading") && firstBytes[0] < 0) {
                    firstBytes[0] = p.completed();
                    firstAt[0] = System.nanoTime();
                }
            });
        }
        long end = System.nanoTime();
        // the first "downloading" report comes after the partial was rehashed and the range answered
        System.out.printf("resume_from %d%nresume_rehash_seconds %.4f%nresume_download_seconds %.4f%n"
                + "resume_total_seconds %.4f%n", firstBytes[0], (firstAt[0] - t0) / 1e9, (end - firstAt[0]) / 1e9,
                (end - t0) / 1e9);
    }

    private static void profile(URI url, Path file, boolean local) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        if (local) {
            profileHashing(file, md);
        }
        profileHttp(url, file.resolveSibling("profile.out"), md);
    }

    /** SHA-256 of data in memory (after a warm-up pass), then of a file as the store's rehash reads it. */
    private static void profileHashing(Path file, MessageDigest md) throws IOException {
        byte[] data = new byte[64 << 20];
        new Random(1).nextBytes(data);
        hashChunks(md, data); // JIT warm-up
        cpuSinceLast();
        long t0 = System.nanoTime();
        for (int i = 0; i < 16; i++) {
            hashChunks(md, data);
        }
        report("sha256_memory", 16L * data.length, t0);

        t0 = System.nanoTime();
        long n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = new byte[BUFFER];
            for (int r = in.read(b); r > 0; r = in.read(b)) {
                md.update(b, 0, r);
                n += r;
            }
        }
        md.digest();
        report("rehash_file", n, t0);
    }

    /**
     * The pull's parts over HTTP, one whole transfer each, into {@code out} where they write, after
     * a 128 MiB warm-up of both paths so the first part measured does not pay for the JIT.
     */
    private static void profileHttp(URI url, Path out, MessageDigest md) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(15)).build();
        HttpRequest warmUp = HttpRequest.newBuilder(url).header("Range", "bytes=0-" + ((128 << 20) - 1)).build();
        try (InputStream in = http.send(warmUp, HttpResponse.BodyHandlers.ofInputStream()).body()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        Files.deleteIfExists(out);
        viaSubscriber(http, warmUp, md, out);
        for (String mode : List.of("read", "read_hash", "read_write", "read_hash_write", "read_hash_write_filled")) {
            Files.deleteIfExists(out);
            cpuSinceLast();
            long t0 = System.nanoTime();
            long n = viaInputStream(http, url, mode.contains("hash") ? md : null, mode.contains("write") ? out : null,
                    mode.endsWith("filled"));
            report("http_stream_" + mode, n, t0);
            System.out.printf("http_stream_%s_bytes_per_read %d%n", mode, bytesPerRead);
        }
        Files.deleteIfExists(out);
        cpuSinceLast();
        long t0 = System.nanoTime();
        long n = viaSubscriber(http, HttpRequest.newBuilder(url).build(), md, out);
        report("http_subscriber_hash_write", n, t0);
        Files.deleteIfExists(out);
        http.close();
    }

    private static void hashChunks(MessageDigest md, byte[] data) {
        for (int off = 0; off < data.length; off += BUFFER) {
            md.update(data, off, BUFFER);
        }
        md.digest();
    }

    /**
     * The Downloader's loop: ofInputStream, read into a 256 KiB array, hash and append; {@code fill}
     * waits for a full buffer (readNBytes) instead of taking what one read returns.
     */
    private static long viaInputStream(HttpClient http, URI url, MessageDigest md, Path out, boolean fill)
            throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        long reads = 0;
        try (InputStream body = r.body();
             OutputStream o = out == null ? OutputStream.nullOutputStream()
                     : Files.newOutputStream(out, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            byte[] b = new byte[BUFFER];
            for (int k = read(body, b, fill); k > 0; k = read(body, b, fill)) {
                if (md != null) {
                    md.update(b, 0, k);
                }
                o.write(b, 0, k);
                n += k;
                reads++;
            }
        }
        if (md != null) {
            md.digest();
        }
        bytesPerRead = reads == 0 ? 0 : n / reads;
        return n;
    }

    private static int read(InputStream in, byte[] b, boolean fill) throws IOException {
        return fill ? in.readNBytes(b, 0, b.length) : in.read(b);
    }

    /** The same work on the client's own thread: hash and write each ByteBuffer as it arrives, no copy. */
    private static long viaSubscriber(HttpClient http, HttpRequest request, MessageDigest md, Path out)
            throws Exception {
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            HttpResponse<Long> r = http.send(request,
                    info -> HttpResponse.BodySubscribers.fromSubscriber(new HashingWriter(md, ch), HashingWriter::bytes));
            md.digest();
            return r.body();
        }
    }

    private static final class HashingWriter implements Flow.Subscriber<List<ByteBuffer>> {
        private final MessageDigest md;
        private final FileChannel ch;
        private final CompletableFuture<Long> done = new CompletableFuture<>();
        private long bytes;
        private Flow.Subscription subscription;

        HashingWriter(MessageDigest md, FileChannel ch) {
            this.md = md;
            this.ch = ch;
        }

        long bytes() {
            return done.join();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            try {
                for (ByteBuffer b : items) {
                    md.update(b.duplicate());
                    bytes += b.remaining();
                }
                ByteBuffer[] all = items.toArray(ByteBuffer[]::new);
                while (all.length > 0 && all[all.length - 1].hasRemaining()) {
                    ch.write(all);
                }
            } catch (IOException e) {
                subscription.cancel();
                done.completeExceptionally(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(bytes);
        }
    }

    /** Wall seconds since {@code t0}, and this process's CPU seconds since the previous report. */
    private static void report(String what, long bytes, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s %.4f %d %.4f%n", what, s, bytes, cpuSinceLast());
    }

    private static long lastCpu;

    private static double cpuSinceLast() {
        long now = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        double d = (now - lastCpu) / 1e9;
        lastCpu = now;
        return d;
    }

    /** A config file that points the store at {@code store}; nothing else configured. */
    private static Path config(Path store, Path dir) {
        try {
            Path c = dir.resolve("config-" + store.getFileName() + ".yaml");
            Files.writeString(c, "store:\n  dir: \"" + store.toAbsolutePath() + "\"\n");
            return c;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
