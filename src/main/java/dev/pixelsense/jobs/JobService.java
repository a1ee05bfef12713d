package dev.pixelsense.jobs;

import dev.pixelsense.config.JobsConfig;
import dev.pixelsense.error.BadRequestException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jobs as a process runs them: the queue (Redis when {@code jobs.redis} is set, else in-process), a
 * {@link Worker} when this process runs jobs (always for in-process; {@code pixelsense worker} on
 * Redis), and the webhook dispatcher when {@code jobs.webhooks.secret} is set. Submitting goes
 * through here so every job is checked by its type's {@link JobHandler#prepare} first. The server
 * and the worker command both open one. Thread-safe; {@link #close()} stops the worker, then the
 * dispatcher, then the queue, and is idempotent.
 */
public final class JobService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobService.class);

    private final JobsConfig config;
    private final Map<String, JobHandler> handlers;
    private final JobQueue queue;
    private final Worker worker;
    private final Webhooks webhooks;
    /** The models jobs may name, when no other process can run them (in-process); null on Redis. */
    private final Set<String> onlyModels;
    private boolean closed;

    private JobService(JobsConfig config, JobQueue queue, List<JobHandler> handlers, Worker worker,
                       Set<String> onlyModels) {
        this.config = config;
        this.onlyModels = onlyModels;
        this.queue = queue;
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(JobHandler::type, Function.identity()));
        this.worker = worker;
        this.webhooks = config.webhooks().secret() == null ? null : Webhooks.start(queue, config.webhooks());
    }

    /**
     * Opens the queue of {@code config} ({@code redis} overrides {@code jobs.redis} when not null).
     *
     * @param runWorker run a worker in this process (forced for the in-process queue, which has no other)
     * @param models the models this process's worker serves and announces
     */
    public static JobService open(JobsConfig config, URI redis, JobSettings settings, List<JobHandler> handlers,
                                  Set<String> models, boolean runWorker) {
        URI where = redis != null ? redis : config.redis();
        JobQueue queue = where == null ? JobQueue.inProcess(settings) : JobQueue.redis(where, settings);
        try {
            Worker worker = where == null || runWorker
                    ? Worker.start(queue, handlers, config.concurrency(), models) : null;
            String what = queue.describe() + (worker == null ? "" : ", a worker serving " + new TreeSet<>(models)
                    + " (" + config.concurrency() + " at once)");
            if (where == null) {
                log.debug("jobs: {}", what);   // the default: nothing worth a line at startup
            } else {
                log.info("jobs: {}", what);
            }
            return new JobService(config, queue, handlers, worker, where == null ? Set.copyOf(models) : null);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    public JobQueue queue() {
        return queue;
    }

    /** This process's worker, or null when other processes run the jobs. */
    public Worker worker() {
        return worker;
    }

    /** The job types this process knows. */
    public Set<String> types() {
        return new TreeSet<>(handlers.keySet());
    }

    /**
     * Checks a job (type known, input usable, webhook allowed) and queues it.
     *
     * @throws BadRequestException naming the field at fault
     */
    public Job submit(JobRequest request) {
        JobHandler handler = handlers.get(request.type());
        if (handler == null) {
            throw new BadRequestException("Unknown job type '" + request.type() + "': expected one of " + types(),
                    "type");
        }
        if (request.webhook() != null) {
            Webhooks.check(request.webhook(), config.webhooks());
        }
        JobRequest prepared = handler.prepare(request);
        if (onlyModels != null && prepared.model() != null && !onlyModels.contains(prepared.model())) {
            throw new BadRequestException("No model '" + prepared.model() + "' here: this server runs jobs itself, "
                    + "with " + new TreeSet<>(onlyModels) + " (with Redis, workers elsewhere may serve others)", "model",
                    "model_not_found");
        }
        return queue.submit(prepared);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (worker != null) {
            worker.close();
        }
        if (webhooks != null) {
            webhooks.close();
        }
        queue.close();
    }
}
