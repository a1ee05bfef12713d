package dev.pixelsense.cli;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.config.ByteSizes;
import dev.pixelsense.store.PullProgress;
import dev.pixelsense.store.StoredFile;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Download model files into the cache, verified by SHA-256 (resumes interrupted pulls).")
final class PullCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "REF", description = "A catalog name (pixelsense models catalog), "
            + "hf://owner/repo/path/file[@revision], or an https:// URL (add #sha256=HEX to pin it).")
    String ref;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        boolean terminal = System.console() != null && System.console().isTerminal();
        ProgressPrinter printer = new ProgressPrinter(err, terminal);
        try (Pixelsense px = Pixelsense.open(config.load(), System::getenv)) {
            List<StoredFile> files = px.store().pull(ref, printer);
            dev.pixelsense.vision.ocr.OcrModels.prepareAfterPull(px.store(), ref, printer);
            printer.finish();
            for (StoredFile f : files) {
                System.out.println(f.path() + "  " + f.name() + "  " + ByteSizes.formatApprox(f.size()) + "  sha256:" + f.sha256()
                        + ("first-pull".equals(f.verified()) ? "  (no published hash; recorded at first pull)" : ""));
            }
        } finally {
            printer.finish();
        }
        return 0;
    }

    /**
     * A progress bar redrawn in place on a terminal; plain lines otherwise (one per state change,
     * and one every 10% or 5 s while downloading), so logs stay readable.
     */
    static final class ProgressPrinter implements PullProgress.Listener {
        private final PrintStream out;
        private final boolean terminal;
        private boolean drawing;
        private long lastLine;
        private long lastPercent = -10;

        ProgressPrinter(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        @Override
        public void on(PullProgress p) {
            if (!p.status().equals("downloading")) {
                finish();
                out.println(p.status() + (p.file() == null ? " " + p.ref() : " " + p.file())
                        + (p.message() == null ? "" : ": " + p.message()));
                return;
            }
            String line = line(p);
            if (terminal) {
                out.print("\r" + line + "\u001b[K");
                out.flush();
                drawing = true;
                return;
            }
            long percent = p.total() > 0 ? p.completed() * 100 / p.total() : -1;
            long now = System.nanoTime();
            if (percent >= lastPercent + 10 || now - lastLine > 5_000_000_000L) {
                out.println(line);
                lastLine = now;
                lastPercent = percent;
            }
        }

        static String line(PullProgress p) {
            String size = ByteSizes.formatApprox(p.completed()) + (p.total() > 0 ? " / " + ByteSizes.formatApprox(p.total()) : "");
            String speed = p.bytesPerSecond() > 0 ? ByteSizes.formatApprox((long) p.bytesPerSecond()) + "/s" : "";
            String eta = p.etaSeconds() >= 0 ? "ETA " + p.etaSeconds() + "s" : "";
            if (p.total() > 0) {
                int percent = (int) (p.completed() * 100 / p.total());
                int filled = percent / 5;
                return String.format("%s %3d%% [%s%s] %s %s %s", p.file(), percent, "#".repeat(filled),
                        " ".repeat(20 - filled), size, speed, eta).stripTrailing();
            }
            return (p.file() + " " + size + " " + speed).stripTrailing();
        }

        void finish() {
            if (drawing) {
                out.println();
                drawing = false;
            }
        }
    }
}
