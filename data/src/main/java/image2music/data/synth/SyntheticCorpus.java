package image2music.data.synth;

import image2music.audio.Audio;
import image2music.audio.io.AudioInfo;
import image2music.audio.io.WavWriter;
import image2music.core.io.FileTrees;
import image2music.core.manifest.MediaRecord;
import image2music.data.media.AudioCollection;
import image2music.data.media.CollectListener;
import image2music.data.media.ImageCollection;
import image2music.data.media.ImageFormat;
import image2music.data.media.ImageNormalizer;
import image2music.data.media.ImageParams;
import image2music.data.media.ImageRejectedException;
import image2music.data.media.NormalizedImage;
import image2music.data.media.Provenance;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/**
 * Writes a small labelled corpus of procedurally composed music and painted pictures, so the whole
 * pipeline can be trained and measured without downloading anything:
 *
 * <pre>
 * OUT/images/&lt;mood&gt;/&lt;sha16&gt;.png + OUT/images/manifest.jsonl
 * OUT/audio/&lt;mood&gt;/&lt;sha16&gt;.wav  + OUT/audio/manifest.jsonl
 * </pre>
 *
 * Both are ordinary media roots written through {@link ImageCollection} and {@link
 * AudioCollection}, as the scrapers write them, with source {@value MediaRecord#SYNTH} (design.md's
 * name), {@code query} the mood, {@code source_url} {@code synth:<mood>/<index>?…} (the item's
 * identity, which resumption checks) and {@code title} the generator's drawn parameters as {@code
 * key=value} pairs. {@code fetched_at} is omitted so that a rerun writes identical manifests.
 *
 * <p>Deterministic: item {@code i} of a mood draws from a random stream seeded by (seed, mood, i),
 * and items are committed in order whatever thread made them, so the same parameters give the same
 * bytes. Parallel: items are made on {@link SynthCorpusParams#threads} threads. Resumable: items
 * already in the manifests are skipped. Usage:
 *
 * <pre>{@code
 * new SyntheticCorpus(SynthCorpusParams.defaults().withPerMood(8)).write(out, CollectListener.NONE);
 * }</pre>
 */
public final class SyntheticCorpus {

    /**
     * What a run did.
     *
     * @param images the image media root
     * @param audio the audio media root
     * @param made items (picture + piece) made by this run
     * @param alreadyHad items found complete from an earlier run
     * @param sounds the SoundFont's file name or "Gervill built-in sounds"
     */
    public record Summary(Path images, Path audio, int made, int alreadyHad, String sounds) {}

    /** Near-duplicate distance of the image scrapers' default, so the corpus passes their check. */
    static final int NEAR_DISTANCE = 6;

    /** Redraws of an item whose picture or piece duplicates an earlier one before giving up. */
    private static final int MAX_ATTEMPTS = 16;

    private static final String TMP_DIR = ".synth-tmp";
    private static final long IMAGE_STREAM = 0x1A;
    private static final long MUSIC_STREAM = 0x2B;

    private final SynthCorpusParams params;
    private final ImageNormalizer normalizer =
            new ImageNormalizer(ImageParams.DEFAULTS.withFormat(ImageFormat.PNG));

    public SyntheticCorpus(SynthCorpusParams params) {
        this.params = params;
    }

    public SynthCorpusParams params() {
        return params;
    }

    /**
     * Writes (or completes) the corpus under {@code out}. The listener sees one label per mood and
     * one step per item (its picture and its piece).
     *
     * @throws IOException when the SoundFont does not load or {@code out} cannot be written
     */
    public Summary write(Path out, CollectListener listener)
            throws IOException, InterruptedException {
        GervillRenderer renderer = GervillRenderer.open(params.soundfont());
        Path imageRoot = out.resolve("images");
        Path audioRoot = out.resolve("audio");
        try (ImageCollection images = ImageCollection.open(imageRoot, NEAR_DISTANCE, false);
                AudioCollection audio = AudioCollection.open(audioRoot, false)) {
            return write(imageRoot, audioRoot, images, audio, renderer, listener);
        }
    }

    private Summary write(
            Path imageRoot,
            Path audioRoot,
            ImageCollection images,
            AudioCollection audio,
            GervillRenderer renderer,
            CollectListener listener)
            throws IOException, InterruptedException {
        images.repairs().forEach(listener::note);
        audio.repairs().forEach(listener::note);
        Path tmp = audioRoot.resolve(TMP_DIR);
        FileTrees.delete(tmp);
        Files.createDirectories(tmp);

        List<List<Future<Made>>> perMood = new ArrayList<>();
        int[] had = new int[params.moods().size()];
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        params.threads(),
                        r -> {
                            Thread t = new Thread(r, "synth-corpus");
                            t.setDaemon(true);
                            return t;
                        });
        int made = 0;
        int alreadyHad = 0;
        try {
            for (int m = 0; m < params.moods().size(); m++) {
                String mood = params.moods().get(m);
                List<Future<Made>> futures = new ArrayList<>();
                for (int i = 0; i < params.perMood(); i++) {
                    boolean needImage = !images.hasSource(imageKey(mood, i));
                    boolean needAudio = !audio.hasSource(audioKey(mood, i));
                    if (!needImage && !needAudio) {
                        had[m]++;
                        futures.add(null);
                        continue;
                    }
                    int index = i;
                    futures.add(
                            pool.submit(
                                    () ->
                                            make(
                                                    mood, index, 0, needImage, needAudio, renderer,
                                                    tmp)));
                }
                perMood.add(futures);
            }
            // Commit in (mood, index) order: the manifests and duplicate checks then do not depend
            // on which thread finished first.
            for (int m = 0; m < params.moods().size(); m++) {
                String mood = params.moods().get(m);
                listener.labelStarted(mood, params.perMood(), had[m]);
                alreadyHad += had[m];
                int done = had[m];
                for (int i = 0; i < params.perMood(); i++) {
                    Future<Made> f = perMood.get(m).get(i);
                    if (f == null) {
                        continue;
                    }
                    commit(get(f), images, audio, renderer, tmp);
                    made++;
                    listener.progress(mood, ++done);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
                listener.labelFinished(mood);
            }
        } finally {
            pool.shutdownNow();
            FileTrees.delete(tmp);
        }
        return new Summary(imageRoot, audioRoot, made, alreadyHad, renderer.soundbankName());
    }

    /** The picture of item {@code index} of {@code mood} (first draw), in memory. */
    public BufferedImage image(String mood, int index) {
        return paint(mood, index, 0).image;
    }

    /**
     * The piece of item {@code index} of {@code mood} (first draw), in memory, mono 44.1 kHz.
     *
     * @throws IOException when the SoundFont does not load
     */
    public Audio music(String mood, int index) throws IOException {
        return compose(mood, index, 0, GervillRenderer.open(params.soundfont())).audio;
    }

    /** One item's freshly made picture and/or piece (a WAV in the temporary folder). */
    private record Made(
            String mood, int index, int attempt, Painted picture, Path wav, String musicTitle) {}

    private record Painted(BufferedImage image, NormalizedImage stored, String title) {}

    private record Composed(Audio audio, String title) {}

    private Made make(
            String mood,
            int index,
            int attempt,
            boolean image,
            boolean music,
            GervillRenderer renderer,
            Path tmp)
            throws IOException {
        Painted picture = image ? paint(mood, index, attempt) : null;
        Path wav = null;
        String title = null;
        if (music) {
            Composed c = compose(mood, index, attempt, renderer);
            wav =
                    tmp.resolve(
                            String.format(
                                    Locale.ROOT,
                                    "%08x-%d-%d.wav",
                                    mood.hashCode(),
                                    index,
                                    attempt));
            WavWriter.write(wav, c.audio);
            title = c.title;
        }
        return new Made(mood, index, attempt, picture, wav, title);
    }

    private Painted paint(String mood, int index, int attempt) {
        SplittableRandom r = new SplittableRandom(itemSeed(mood, index, attempt, IMAGE_STREAM));
        ScenePainter.Spec spec = ScenePainter.draw(MoodProfile.of(mood), r);
        BufferedImage img = ScenePainter.paint(spec, params.imageSize(), r);
        // Stored through the scrapers' normaliser: the same PNG encoding and perceptual hash.
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", png);
            NormalizedImage stored =
                    normalizer.normalize(png.toByteArray(), "image/png", imageKey(mood, index));
            return new Painted(img, stored, spec.describe());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to encode a PNG in memory", e);
        } catch (ImageRejectedException e) {
            throw new IllegalStateException(
                    "Failed to store a painted picture: " + e.getMessage(), e);
        }
    }

    private Composed compose(String mood, int index, int attempt, GervillRenderer renderer) {
        SplittableRandom r = new SplittableRandom(itemSeed(mood, index, attempt, MUSIC_STREAM));
        PieceComposer.Spec spec = PieceComposer.draw(MoodProfile.of(mood), r);
        Audio audio =
                renderer.render(
                        PieceComposer.compose(spec, params.seconds(), r),
                        params.seconds(),
                        spec.loudness());
        return new Composed(audio, spec.describe());
    }

    /**
     * Stores the item's files; a picture or piece the collection drops as a duplicate of an earlier
     * one is drawn again (next attempt) until it is kept.
     */
    private void commit(
            Made item,
            ImageCollection images,
            AudioCollection audio,
            GervillRenderer renderer,
            Path tmp)
            throws IOException {
        String mood = item.mood();
        int index = item.index();
        Made cur = item;
        if (cur.picture() != null) {
            while (true) {
                ImageCollection.Added a =
                        images.add(
                                mood,
                                cur.picture().stored(),
                                provenance(imageKey(mood, index), mood, cur.picture().title()));
                if (a.outcome() == ImageCollection.Outcome.KEPT) {
                    break;
                }
                cur = retry(cur, true, false, renderer, tmp);
            }
        }
        cur = item;
        if (cur.wav() != null) {
            AudioInfo info =
                    new AudioInfo(params.seconds(), GervillRenderer.SAMPLE_RATE, 1, "pcm_s16le");
            while (true) {
                AudioCollection.Added a =
                        audio.add(
                                mood,
                                cur.wav(),
                                false,
                                info,
                                provenance(audioKey(mood, index), mood, cur.musicTitle()),
                                null);
                if (a.kept()) {
                    break;
                }
                cur = retry(cur, false, true, renderer, tmp);
            }
        }
    }

    private Made retry(Made m, boolean image, boolean music, GervillRenderer renderer, Path tmp)
            throws IOException {
        int next = m.attempt() + 1;
        if (next >= MAX_ATTEMPTS) {
            throw new IllegalStateException(
                    "item "
                            + m.index()
                            + " of '"
                            + m.mood()
                            + "' duplicated earlier items "
                            + MAX_ATTEMPTS
                            + " times");
        }
        return make(m.mood(), m.index(), next, image, music, renderer, tmp);
    }

    private static Provenance provenance(String key, String mood, String title) {
        return new Provenance(MediaRecord.SYNTH, key, null, mood, title, null);
    }

    private String imageKey(String mood, int index) {
        return String.format(
                Locale.ROOT,
                "synth:%s/%d?seed=%d&size=%d",
                URLEncoder.encode(mood, StandardCharsets.UTF_8),
                index,
                params.seed(),
                params.imageSize());
    }

    private String audioKey(String mood, int index) {
        return String.format(
                Locale.ROOT,
                "synth:%s/%d?seed=%d&seconds=%s",
                URLEncoder.encode(mood, StandardCharsets.UTF_8),
                index,
                params.seed(),
                params.seconds());
    }

    /** SplitMix64-style mixing of (seed, mood, index, attempt, stream) into one seed. */
    private long itemSeed(String mood, int index, int attempt, long stream) {
        long h = mix(params.seed() ^ 0x5DEECE66DL);
        for (byte b : mood.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xff));
        }
        h = mix(h ^ index);
        h = mix(h ^ ((long) attempt << 32));
        return mix(h ^ stream);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static Made get(Future<Made> f) throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("Failed to make a corpus item", c);
        }
    }
}
