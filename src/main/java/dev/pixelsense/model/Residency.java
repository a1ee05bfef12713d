package dev.pixelsense.model;

import dev.pixelsense.error.UnavailableException;
import dev.pixelsense.model.spi.MemoryEstimate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which local models stay loaded: keep-alive expiry (checked by the manager's timer) and the
 * memory budget (checked before a load). Both decide by the entries' own state; this class only
 * holds the policy. Thread-safe: budget decisions are serialized.
 */
final class Residency {
    private static final Logger log = LoggerFactory.getLogger(Residency.class);

    private final Collection<ModelEntry> entries;
    private final long budgetBytes;
    private final String budgetText;
    private final Object budgetLock = new Object();

    Residency(Collection<ModelEntry> entries, long budgetBytes, String budgetText) {
        this.entries = entries;
        this.budgetBytes = budgetBytes;
        this.budgetText = budgetText;
    }

    /** Unloads idle local models past their keep-alive, off the timer thread (stopping a runner blocks). */
    void unloadExpired() {
        for (ModelEntry e : entries) {
            if (e.expired()) {
                Thread.ofVirtual().name("unload-" + e.id()).start(() -> {
                    if (e.expired()) {
                        log.info("model '{}' idle for {}; unloading", e.id(),
                                dev.pixelsense.config.Durations.format(e.keepAlive()));
                        e.unload();
                    }
                });
            }
        }
    }

    /**
     * Before a local model loads: evicts least-recently-used idle local models until its memory
     * estimate fits the budget next to the models still loaded.
     *
     * @throws UnavailableException with the numbers, when the model can never fit or when the
     *     memory is held by models that are busy (retriable: a fallback may serve)
     */
    void makeRoom(ModelEntry entry) {
        MemoryEstimate need = entry.estimate();
        if (need == null) {
            return;
        }
        synchronized (budgetLock) {
            if (need.total() > budgetBytes) {
                throw new UnavailableException("model '" + entry.id() + "' needs about " + need.describe()
                        + ", more than the memory budget of " + budgetText + "; lower defaults.context_size or "
                        + "max_concurrency, use a smaller quantization, or raise server.memory_budget");
            }
            List<ModelEntry> loaded = new ArrayList<>();
            long used = 0;
            for (ModelEntry e : entries) {
                if (e != entry && e.loadedLocally()) {
                    loaded.add(e);
                    used += e.estimate() == null ? 0 : e.estimate().total();
                }
            }
            loaded.sort(Comparator.comparingLong(ModelEntry::lastUsedNanos));
            for (ModelEntry victim : loaded) {
                if (used + need.total() <= budgetBytes) {
                    break;
                }
                if (victim.admission.running() == 0 && victim.admission.waiting() == 0) {
                    log.info("unloading idle model '{}' to make room for '{}' ({} needed, budget {})", victim.id(),
                            entry.id(), need.describe(), budgetText);
                    victim.unload();
                    used -= victim.estimate() == null ? 0 : victim.estimate().total();
                }
            }
            if (used + need.total() > budgetBytes) {
                throw new UnavailableException("model '" + entry.id() + "' needs about " + need.describe() + " but "
                        + dev.pixelsense.config.ByteSizes.formatApprox(used) + " of the budget of " + budgetText
                        + " is held by models that are busy; retry when they finish");
            }
        }
    }

}
