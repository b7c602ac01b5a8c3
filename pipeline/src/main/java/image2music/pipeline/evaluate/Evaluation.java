package image2music.pipeline.evaluate;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an evaluation measured. The mood classifier hears a clip as the mean of its probabilities
 * over the clip's windows; embeddings are its [CLS] features of single windows. "Real" clips are
 * cut from dataset pieces the classifier never trained on.
 *
 * @param classes the moods (the dataset's captions)
 * @param windowPixels the width of every classified window: the generator's native width
 * @param clipPixels the width of every classified clip (a whole number of windows, as long as a
 *     dataset tile)
 * @param trainWindows real tiles the classifier trained on (a random window of each per epoch)
 * @param heldOutClips real clips held out (one per tile of the held-out pieces)
 * @param classifierAccuracy the classifier's accuracy on held-out real clips: the ceiling for
 *     {@code cas}
 * @param cas classifier accuracy score: the share of generated clips classified as the mood their
 *     prompt asked for
 * @param casPerClass the same per mood
 * @param frechet Fréchet distance between the windows of generated clips and those of one half of
 *     the held-out real clips (FAD-style, in the classifier's embedding space)
 * @param frechetReference the same between the other half and that half: what real music scores
 * @param diversityGenerated mean pairwise embedding distance among generated clips of one mood,
 *     averaged over moods
 * @param diversityReal the same among held-out real windows
 * @param nearestTrainGenerated median pixel distance (RMS, 0–1) from a generated clip to its
 *     nearest training window
 * @param nearestTrainHeldOut the same from a held-out real window: generated clips closer than this
 *     would be copying
 * @param endToEnd music from pictures, classified
 * @param clips the generated clips, per mood
 */
public record Evaluation(
        List<String> classes,
        int windowPixels,
        int clipPixels,
        int trainWindows,
        int heldOutClips,
        double classifierAccuracy,
        double cas,
        Map<String, Double> casPerClass,
        double frechet,
        double frechetReference,
        double diversityGenerated,
        double diversityReal,
        double nearestTrainGenerated,
        double nearestTrainHeldOut,
        List<EndToEndCase> endToEnd,
        Map<String, List<Path>> clips) {

    /** Targets a good generator reaches (the full demo's goals). */
    public static final double TARGET_CEILING = 0.95;

    public static final double TARGET_CAS = 0.9;
    public static final double TARGET_FRECHET_RATIO = 2;
    public static final double TARGET_END_TO_END = 0.8;

    /**
     * One picture's music, classified.
     *
     * @param predicted the mood the classifier hears (its mean probability over the windows)
     * @param probability that mood's mean probability
     */
    public record EndToEndCase(
            String name, String mood, String predicted, double probability, Path spectrogram) {

        public boolean agrees() {
            return mood.equals(predicted);
        }
    }

    /** The share of pictures whose music is classified as the picture's mood; NaN for none. */
    public double endToEndAgreement() {
        return endToEnd.isEmpty()
                ? Double.NaN
                : endToEnd.stream().filter(EndToEndCase::agrees).count() / (double) endToEnd.size();
    }

    /** Where the ceiling lies at 95 %, from {@link #heldOutClips} clips. */
    public WilsonInterval classifierAccuracyInterval() {
        return WilsonInterval.of(classifierAccuracy, heldOutClips);
    }

    /** Where CAS lies at 95 %, from the generated clips. */
    public WilsonInterval casInterval() {
        return WilsonInterval.of(cas, generatedClips());
    }

    /** Where the picture → music agreement lies at 95 %. */
    public WilsonInterval endToEndInterval() {
        return WilsonInterval.of(endToEndAgreement(), endToEnd.size());
    }

    /** How many clips were generated, over all moods. */
    public int generatedClips() {
        return clips.values().stream().mapToInt(List::size).sum();
    }

    /** {@code frechet / frechetReference}. */
    public double frechetRatio() {
        return frechet / frechetReference;
    }

    /** As {@code evaluation.json} holds it; paths relative to {@code base}. */
    public JsonObject toJson(Path base) {
        JsonObject o = new JsonObject();
        JsonArray cls = new JsonArray();
        classes.forEach(cls::add);
        o.add("classes", cls);
        o.addProperty("window_pixels", windowPixels);
        o.addProperty("clip_pixels", clipPixels);
        o.addProperty("train_windows", trainWindows);
        o.addProperty("held_out_clips", heldOutClips);
        o.addProperty("classifier_accuracy", classifierAccuracy);
        o.add("classifier_accuracy_ci95", json(classifierAccuracyInterval()));
        o.addProperty("cas", cas);
        o.add("cas_ci95", json(casInterval()));
        JsonObject per = new JsonObject();
        casPerClass.forEach(per::addProperty);
        o.add("cas_per_class", per);
        o.addProperty("frechet", frechet);
        o.addProperty("frechet_reference", frechetReference);
        o.addProperty("frechet_ratio", frechetRatio());
        o.addProperty("diversity_generated", diversityGenerated);
        o.addProperty("diversity_real", diversityReal);
        o.addProperty("nearest_train_generated", nearestTrainGenerated);
        o.addProperty("nearest_train_held_out", nearestTrainHeldOut);
        JsonArray e2e = new JsonArray();
        for (EndToEndCase c : endToEnd) {
            JsonObject j = new JsonObject();
            j.addProperty("name", c.name());
            j.addProperty("mood", c.mood());
            j.addProperty("predicted", c.predicted());
            j.addProperty("probability", c.probability());
            j.addProperty("agrees", c.agrees());
            j.addProperty("spectrogram", relative(base, c.spectrogram()));
            e2e.add(j);
        }
        o.add("end_to_end", e2e);
        if (!endToEnd.isEmpty()) {
            o.addProperty("end_to_end_agreement", endToEndAgreement());
            o.add("end_to_end_agreement_ci95", json(endToEndInterval()));
        }
        JsonObject clipFiles = new JsonObject();
        clips.forEach(
                (k, v) -> {
                    JsonArray a = new JsonArray();
                    v.forEach(p -> a.add(relative(base, p)));
                    clipFiles.add(k, a);
                });
        o.add("clips", clipFiles);
        return o;
    }

    /** The figures with their targets, one per line, for a terminal. */
    public String table() {
        StringBuilder b = new StringBuilder();
        row(
                b,
                "classifier accuracy (ceiling)",
                fmt(classifierAccuracy) + interval(classifierAccuracyInterval()),
                "≥ " + TARGET_CEILING);
        row(b, "CAS", fmt(cas) + interval(casInterval()), "≥ " + TARGET_CAS);
        casPerClass.forEach((k, v) -> row(b, "  CAS " + k, fmt(v), ""));
        row(
                b,
                "Fréchet distance",
                fmt(frechet) + " (real vs real " + fmt(frechetReference) + ")",
                "≤ " + num(TARGET_FRECHET_RATIO) + "× real");
        row(
                b,
                "diversity",
                fmt(diversityGenerated) + " (real " + fmt(diversityReal) + ")",
                "close to real");
        row(
                b,
                "nearest training window",
                fmt(nearestTrainGenerated) + " (held-out real " + fmt(nearestTrainHeldOut) + ")",
                "≥ held-out real");
        if (!endToEnd.isEmpty()) {
            row(
                    b,
                    "picture → music agreement",
                    fmt(endToEndAgreement())
                            + " of "
                            + endToEnd.size()
                            + interval(endToEndInterval()),
                    "≥ " + TARGET_END_TO_END);
        }
        return b.toString();
    }

    /** " (95 %: low–high)", as the table and the report print an interval. */
    public static String interval(WilsonInterval w) {
        return String.format(Locale.ROOT, " (95 %%: %.2f–%.2f)", w.low(), w.high());
    }

    /** [low, high], or null (JSON null) where there were no trials. */
    private static JsonArray json(WilsonInterval w) {
        if (Double.isNaN(w.low())) {
            return null;
        }
        JsonArray a = new JsonArray();
        a.add(w.low());
        a.add(w.high());
        return a;
    }

    private static void row(StringBuilder b, String name, String value, String target) {
        b.append(String.format(Locale.ROOT, "%-30s %-40s %s", name, value, target).stripTrailing())
                .append('\n');
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String relative(Path base, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path b = base.toAbsolutePath().normalize();
        return (abs.startsWith(b) ? b.relativize(abs) : abs).toString().replace('\\', '/');
    }
}
