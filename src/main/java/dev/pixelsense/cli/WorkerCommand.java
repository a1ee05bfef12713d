package dev.pixelsense.cli;

import dev.pixelsense.Pixelsense;
import dev.pixelsense.config.Durations;
import dev.pixelsense.config.JobsConfig;
import dev.pixelsense.config.PixelsenseConfig;
import dev.pixelsense.jobs.JobService;
import dev.pixelsense.jobs.JobSettings;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pixelsense worker [--redis URL]}: runs jobs from Redis with this machine's models until
 * stopped. Settings come from the config's {@code jobs:} section; options override them. Prints
 * {@code worker ready NAME} on stdout once it takes jobs. On SIGTERM it stops taking jobs, lets
 * running ones finish for a while and hands back the rest.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run jobs from Redis with the models of this machine's config.")
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--redis", paramLabel = "URL",
            description = "The Redis holding the jobs: redis://[:password@]host[:port][/db] (default: jobs.redis).")
    URI redis;

    @Option(names = "--concurrency", paramLabel = "N", description = "Jobs run at once (default: jobs.concurrency, 2).")
    Integer concurrency;

    @Option(names = "--lease", paramLabel = "DURATION", description = "Job lease; a dead worker's job is "
            + "reclaimed after it (default: jobs.lease, 30s). Every worker and server on one Redis should agree.")
    String lease;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Attempts before a job fails for good and "
            + "goes to the dead letter (default: jobs.max_attempts, 3).")
    Integer maxAttempts;

    @Option(names = "--models", paramLabel = "ID", split = ",", description = "The models this worker serves, "
            + "comma-separated (default: jobs.models, else every model of the config). Jobs naming other "
            + "models are left for workers that serve them.")
    List<String> models;

    @Option(names = "--prefix", paramLabel = "PREFIX", hidden = true, description = "Redis key prefix.")
    String prefix = JobSettings.defaults().prefix();

    @Override
    public Integer call() throws InterruptedException {
        PixelsenseConfig cfg = config.load();
        JobsConfig jobs = cfg.jobs();
        URI where = redis != null ? redis : jobs.redis();
        if (where == null) {
            throw new IllegalArgumentException("a worker takes jobs from Redis: pass --redis URL or set jobs.redis "
                    + "in the config");
        }
        JobSettings settings = JobSettings.from(jobs).withPrefix(prefix);
        if (lease != null) {
            settings = settings.withLease(Durations.parse(lease));
        }
        if (maxAttempts != null) {
            settings = settings.withRetries(maxAttempts, settings.backoff());
        }
        jobs = jobs.withConcurrency(concurrency != null ? concurrency : jobs.concurrency());
        Pixelsense px = Pixelsense.open(cfg, System::getenv);
        Set<String> served = models != null ? new TreeSet<>(models) : px.servedModels();
        JobService service;
        try {
            service = JobService.open(jobs, where, settings, px.jobHandlers(), served, true);
        } catch (RuntimeException e) {
            px.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            px.close();
            stopped.countDown();
        }, "pixelsense-worker-shutdown"));
        System.err.println("pixelsense: worker " + service.worker().name() + " taking jobs from "
                + service.queue().describe() + " (" + jobs.concurrency() + " at once; models " + served
                + "; Ctrl+C to stop)");
        System.out.println("worker ready " + service.worker().name());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
