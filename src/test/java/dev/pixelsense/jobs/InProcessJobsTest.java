package dev.pixelsense.jobs;

import java.util.List;

/** The jobs contract on the in-process engine; a killed worker is one that stops renewing and reporting. */
class InProcessJobsTest extends JobQueueContract {
    @Override
    protected JobQueue newQueue(JobSettings settings) {
        return JobQueue.inProcess(settings);
    }

    @Override
    protected Doomed startDoomedWorker() {
        Worker w = Worker.start(queue, List.of(new NoopJob()), 1);
        return new Doomed() {
            @Override
            public String name() {
                return w.name();
            }

            @Override
            public void kill() {
                w.kill();
            }
        };
    }
}
