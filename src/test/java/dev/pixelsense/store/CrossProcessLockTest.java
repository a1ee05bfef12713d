package dev.pixelsense.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixelsense.testing.FakeFileServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two `pixelsense pull` processes racing for one file download it once (the file lock). */
class CrossProcessLockTest {

    @Test
    void should_download_once_when_two_processes_pull_the_same_file(@TempDir Path dir) throws Exception {
        byte[] content = ModelStoreTest.random(1024 * 1024);
        String sha = ModelStoreTest.sha256(content);
        try (FakeFileServer server = new FakeFileServer()) {
            server.on("/m.gguf", FakeFileServer.slow(content, "\"v1\"", 3000));
            Path config = Files.writeString(dir.resolve("config.yaml"), "store:\n  dir: " + dir.resolve("cache") + "\n");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<Process> pulls = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                pulls.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        "dev.pixelsense.cli.Main", "pull", "--config", config.toString(),
                        server.url() + "/m.gguf#sha256=" + sha)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("pull-" + i + ".log").toFile()).start());
            }
            for (int i = 0; i < 2; i++) {
                assertThat(pulls.get(i).waitFor()).as(Files.readString(dir.resolve("pull-" + i + ".log"))).isZero();
            }
            assertThat(server.gets("/m.gguf")).hasSize(1);
            assertThat(Files.readAllBytes(dir.resolve("cache/blobs/sha256-" + sha))).isEqualTo(content);
            String logs = Files.readString(dir.resolve("pull-0.log")) + Files.readString(dir.resolve("pull-1.log"));
            assertThat(logs).contains("pulled meanwhile by another process");
        }
    }
}
