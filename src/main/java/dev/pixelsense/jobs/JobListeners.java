package dev.pixelsense.jobs;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The listeners of one queue: per-job event subscribers and running-job cancel listeners. Thread-safe. */
final class JobListeners {
    private final Map<String, List<Consumer<JobEvent>>> events = new ConcurrentHashMap<>();
    private final List<Consumer<String>> cancels = new CopyOnWriteArrayList<>();

    JobQueue.Subscription subscribe(String id, Consumer<JobEvent> listener) {
        events.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> events.computeIfPresent(id, (k, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    boolean hasSubscribers(String id) {
        return events.containsKey(id);
    }

    void emit(JobEvent event) {
        List<Consumer<JobEvent>> list = events.get(event.id());
        if (list != null) {
            list.forEach(l -> l.accept(event));
        }
    }

    JobQueue.Subscription onCancel(Consumer<String> listener) {
        cancels.add(listener);
        return () -> cancels.remove(listener);
    }

    void cancelled(String id) {
        cancels.forEach(l -> l.accept(id));
    }
}
