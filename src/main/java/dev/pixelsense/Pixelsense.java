package dev.pixelsense;

import dev.pixelsense.api.ApiServer;
import dev.pixelsense.config.CatalogEntry;
import dev.pixelsense.config.ConfigLoader;
import dev.pixelsense.config.PixelsenseConfig;
import dev.pixelsense.metrics.Metrics;
import dev.pixelsense.model.Backends;
import dev.pixelsense.model.CallContext;
import dev.pixelsense.model.ChatStream;
import dev.pixelsense.model.ModelInfo;
import dev.pixelsense.model.ModelManager;
import dev.pixelsense.openai.ChatCompletion;
import dev.pixelsense.openai.ChatMessage;
import dev.pixelsense.openai.ChatRequest;
import dev.pixelsense.store.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * pixelsense as a library: the same model manager the server uses, for Java applications that
 * embed it.
 *
 * <pre>{@code
 * try (Pixelsense px = Pixelsense.open(Path.of("config.yaml"))) {
 *     System.out.println(px.chat("qwen-vl", "Say hello").text());
 *     try (ChatStream s = px.stream(ChatRequest.of("qwen-vl", List.of(ChatMessage.user("Count to 3"))))) {
 *         for (ChatChunk c = s.next(); c != null; c = s.next()) {
 *             System.out.print(c.text() == null ? "" : c.text());
 *         }
 *     }
 *     px.unload("qwen-vl");
 * }
 * }</pre>
 *
 * Thread-safe. Calls block; use virtual threads for many at once. Close to free every model.
 */
public final class Pixelsense implements AutoCloseable {
    private final PixelsenseConfig config;
    private final Metrics metrics = new Metrics();
    private final ModelManager models;
    private final Function<String, String> env;
    private ModelStore store;

    private Pixelsense(PixelsenseConfig config, Function<String, String> env) {
        this.config = config;
        this.env = env;
        this.models = new ModelManager(config, Backends.builtIn(env), env, metrics, this::modelFile);
    }

    /**
     * Loads a config file ({@code null}: {@code ~/.pixelsense/config.yaml} if present, else defaults).
     *
     * @throws dev.pixelsense.config.ConfigException naming the file, line and key of a problem
     */
    public static Pixelsense open(Path configFile) {
        return open(configFile, System::getenv);
    }

    public static Pixelsense open(Path configFile, Function<String, String> env) {
        return new Pixelsense(loader(env).load(configFile), env);
    }

    /** Uses a config parsed elsewhere (see {@link #loader(Function)}). */
    public static Pixelsense open(PixelsenseConfig config, Function<String, String> env) {
        return new Pixelsense(config, env);
    }

    /** A config loader that knows every built-in backend. */
    public static ConfigLoader loader(Function<String, String> env) {
        return new ConfigLoader(env, Backends.builtIn(env));
    }

    public PixelsenseConfig config() {
        return config;
    }

    public List<ModelInfo> models() {
        return models.models();
    }

    /** One user message, the whole answer. */
    public ChatCompletion chat(String model, String prompt) {
        return chat(ChatRequest.of(model, List.of(ChatMessage.user(prompt))));
    }

    public ChatCompletion chat(ChatRequest request) {
        request.validate();
        return models.chat(request, new CallContext()).value();
    }

    /** A streamed answer; close the stream to cancel it. */
    public ChatStream stream(ChatRequest request) {
        request.validate();
        return models.stream(request.withStreaming(true), new CallContext());
    }

    /** Frees a model's backend (a local model's memory); it loads again when next used. */
    public void unload(String model) {
        models.unload(model);
    }

    /**
     * The local file behind a model reference in the config: an existing path as it is; otherwise
     * a store reference ({@code hf://...}, a URL, a catalog name; {@code REF#FILE} picks one file of
     * several), pulled first when {@code autoPull}, with progress in the log.
     */
    private java.nio.file.Path modelFile(String reference, boolean autoPull) {
        java.nio.file.Path asPath = java.nio.file.Path.of(reference.startsWith("~/")
                ? System.getProperty("user.home") + reference.substring(1) : reference);
        boolean storeForm = reference.startsWith("hf://") || reference.startsWith("http://")
                || reference.startsWith("https://") || reference.matches("[a-z0-9][a-z0-9._-]*(#.+)?");
        if (java.nio.file.Files.isRegularFile(asPath) || !storeForm) {
            if (!java.nio.file.Files.isRegularFile(asPath)) {
                throw new dev.pixelsense.error.UnavailableException("model file not found: " + asPath);
            }
            return asPath;
        }
        int hash = reference.startsWith("http") ? -1 : reference.indexOf('#');
        String ref = hash < 0 ? reference : reference.substring(0, hash);
        String file = hash < 0 ? null : reference.substring(hash + 1);
        var files = store().find(ref);
        if (files.isEmpty()) {
            if (!autoPull) {
                throw new dev.pixelsense.error.UnavailableException("'" + ref + "' is not pulled yet: run "
                        + "'pixelsense pull " + ref + "', or set auto_pull: true on the model");
            }
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Pixelsense.class);
            files = java.util.Optional.of(store().pull(ref, p -> {
                if (!p.status().equals("downloading") || p.total() > 0 && p.completed() == p.total()) {
                    log.info("auto_pull {}: {} {}", ref, p.status(), p.file() == null ? "" : p.file());
                }
            }));
        }
        return files.get().stream().filter(f -> file == null || f.name().equals(file)).findFirst()
                .map(dev.pixelsense.store.StoredFile::path)
                .orElseThrow(() -> new dev.pixelsense.error.UnavailableException("'" + ref + "' has no file '" + file
                        + "'"));
    }

    private dev.pixelsense.screen.Screen screen;

    /** The screen of this process's display, opened on first use. */
    public synchronized dev.pixelsense.screen.Screen screen() {
        if (screen == null) {
            screen = dev.pixelsense.screen.Screen.open();
        }
        return screen;
    }

    /** Describes the screen or an image, or reads its text: what {@code POST /vision/describe} does. */
    public dev.pixelsense.vision.DescribeResult describe(dev.pixelsense.vision.DescribeRequest request) {
        return describeService().describe(request, new CallContext());
    }

    private dev.pixelsense.vision.ocr.Ocr ocr;

    /**
     * The on-device OCR behind read_text and find: PP-OCRv4 from the model store ({@code pixelsense
     * pull ppocr-v4}), opened on first use and kept.
     */
    public dev.pixelsense.vision.DescribeService.TextReader textReader() {
        dev.pixelsense.vision.ocr.Ocr engine = ocr();
        return image -> engine.recognize(image).lines().stream().map(line -> {
            var b = line.bounds();
            return new dev.pixelsense.vision.DescribeResult.TextLine(line.text(), line.confidence(), b.x(), b.y(),
                    b.width(), b.height());
        }).toList();
    }

    /** The on-device OCR (PP-OCRv4 from the store), opened on first use and kept. */
    public synchronized dev.pixelsense.vision.ocr.Ocr ocr() {
        if (ocr == null) {
            ocr = dev.pixelsense.vision.ocr.Ocr.open(dev.pixelsense.vision.ocr.OcrModels.fromStore(store()));
        }
        return ocr;
    }

    private dev.pixelsense.agent.ScreenAgent agent;

    /**
     * The screen agent over this instance's models, screen and OCR (click_text); created on first
     * use. Input is opened per run on the same display as {@link #screen()}.
     */
    public synchronized dev.pixelsense.agent.ScreenAgent agent() {
        if (agent == null) {
            agent = new dev.pixelsense.agent.ScreenAgent(config.agent(), config.vision().model(), models::chat,
                    this::screen, dev.pixelsense.screen.Input::open, this::ocr);
        }
        return agent;
    }

    /**
     * The built-in job types, running on this instance's models: {@code chat}, {@code noop},
     * {@code describe_images}, {@code ocr_images} and {@code describe_video}.
     */
    public List<dev.pixelsense.jobs.JobHandler> jobHandlers() {
        var inputs = config.jobs().inputs();
        var remote = config.server().remoteImages();
        dev.pixelsense.jobs.ImagesJob.Vision vision = (request, call) -> describeService().describe(request, call);
        dev.pixelsense.jobs.ChatJob.Chat chat = (request, context) -> models.chat(request, context).value();
        return List.of(new dev.pixelsense.jobs.ChatJob(chat), new dev.pixelsense.jobs.NoopJob(),
                dev.pixelsense.jobs.ImagesJob.describe(vision, inputs, remote, config.vision().model()),
                dev.pixelsense.jobs.ImagesJob.ocr(vision, inputs, remote),
                new dev.pixelsense.jobs.DescribeVideoJob(vision, chat, inputs, remote, config.vision().model()));
    }

    /** The models this instance's job worker serves: {@code jobs.models}, else every model id and alias. */
    public java.util.Set<String> servedModels() {
        if (config.jobs().models() != null) {
            return java.util.Set.copyOf(config.jobs().models());
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        config.models().forEach(m -> {
            names.add(m.id());
            names.addAll(m.aliases());
        });
        return names;
    }

    private dev.pixelsense.vision.DescribeService describeService() {
        return new dev.pixelsense.vision.DescribeService(models, config.vision(),
                new dev.pixelsense.vision.ImagePipeline(config.server().maxImagePixels()), this::screen,
                this::textReader);
    }

    /** The model cache ({@code pixelsense pull}); created on first use. */
    public synchronized ModelStore store() {
        if (store == null) {
            store = new ModelStore(config.store(), builtInCatalog(env), env, metrics);
        }
        return store;
    }

    /** The catalog shipped in the jar ({@code dev/pixelsense/store/catalog.yaml}). */
    public static List<CatalogEntry> builtInCatalog(Function<String, String> env) {
        try (var in = ModelStore.class.getResourceAsStream("catalog.yaml")) {
            if (in == null) {
                throw new IllegalStateException("the built-in catalog is missing from the jar");
            }
            return loader(env).parseCatalog("built-in catalog", new String(in.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the built-in catalog", e);
        }
    }

    private dev.pixelsense.jobs.JobService jobs;
    private java.net.URI jobsRedis;

    /**
     * The jobs of this instance: the queue of {@code jobs:} (in-process with an embedded worker
     * unless {@code jobs.redis} or {@link #useRedisJobs} names a Redis; then {@code pixelsense worker}s
     * run them), and webhooks when {@code jobs.webhooks.secret} is set. Opened on first use.
     */
    public synchronized dev.pixelsense.jobs.JobService jobService() {
        if (jobs == null) {
            jobs = dev.pixelsense.jobs.JobService.open(config.jobs(), jobsRedis,
                    dev.pixelsense.jobs.JobSettings.from(config.jobs()), jobHandlers(), servedModels(), false);
        }
        return jobs;
    }

    public dev.pixelsense.jobs.JobQueue jobs() {
        return jobService().queue();
    }

    /** Makes {@link #jobs()} the Redis queue at {@code uri}; jobs are then run by {@code pixelsense worker}s. */
    public synchronized dev.pixelsense.jobs.JobQueue useRedisJobs(java.net.URI uri) {
        if (jobs != null) {
            throw new IllegalStateException("the job queue is already open (" + jobs.queue().describe() + ")");
        }
        jobsRedis = uri;
        return jobs();
    }

    /** Starts the HTTP API over this instance's models; close the server before this instance. */
    public ApiServer serve() {
        ApiServer api = new ApiServer(config, models, metrics, this::store, this::textReader, jobService(),
                this::agent).start();
        models.preload();
        return api;
    }

    @Override
    public synchronized void close() {
        if (agent != null) {
            agent.close();
        }
        if (jobs != null) {
            jobs.close();
        }
        models.close();
        if (ocr != null) {
            ocr.close();
        }
        if (screen != null) {
            screen.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
