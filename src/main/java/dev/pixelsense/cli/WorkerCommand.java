package dev.pixelsense.cli;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.config.Durations;
import dev.pixelsense.jobs.JobQueue;
import dev.pixelsense.jobs.JobSettings;
import dev.pixelsense.jobs.Worker;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pixelsense worker --redis URL}: runs jobs from Redis with this machine's models until
 * stopped. Prints {@code worker ready NAME} on stdout once it takes jobs. On SIGTERM it stops taking
 * jobs, lets running ones finish for a while and hands back the rest.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run jobs from Redis (chat and noop) with the models of this machine's config.")
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--redis", required = true, paramLabel = "URL",
            description = "The Redis holding the jobs: redis://[:password@]host[:port][/db].")
    URI redis;

    @Option(names = "--concurrency", paramLabel = "N", description = "Jobs run at once (default 1).")
    int concurrency = 1;

    @Option(names = "--lease", paramLabel = "DURATION", description = "Job lease; a dead worker's job is "
            + "reclaimed after it (default 30s). Every worker and server on one Redis should agree.")
    String lease = "30s";

    @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts before a job fails for good and "
            + "goes to the dead letter (default 3).")
    int maxAttempts = 3;

    @Option(names = "--prefix", paramLabel = "PREFIX", hidden = true, description = "Redis key prefix.")
    String prefix = JobSettings.defaults().prefix();

    @Override
    public Integer call() throws InterruptedException {
        JobSettings settings = JobSettings.defaults().withLease(Durations.parse(lease))
                .withRetries(maxAttempts, JobSettings.defaults().backoff()).withPrefix(prefix);
        Pixelsense px = Pixelsense.open(config.resolve());
        JobQueue queue;
        Worker worker;
        try {
            queue = JobQueue.redis(redis, settings);
            worker = Worker.start(queue, px.jobHandlers(), concurrency);
        } catch (RuntimeException e) {
            px.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            queue.close();
            px.close();
            stopped.countDown();
        }, "pixelsense-worker-shutdown"));
        System.err.println("pixelsense: worker " + worker.name() + " taking jobs from " + queue.describe()
                + " (" + concurrency + " at once; Ctrl+C to stop)");
        System.out.println("worker ready " + worker.name());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
