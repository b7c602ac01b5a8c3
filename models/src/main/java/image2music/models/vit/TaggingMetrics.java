package image2music.models.vit;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Validation figures of a tagger: per-label precision, recall, F1 and average precision, micro and
 * macro F1 and mAP. Average precision is sklearn's {@code average_precision_score} without tie
 * grouping: the mean of the precision at the rank of each positive, scores sorted descending;
 * labels without positives have none (NaN) and are left out of mAP.
 */
public record TaggingMetrics(
        List<String> labels,
        double[] precision,
        double[] recall,
        double[] f1,
        double[] averagePrecision,
        double microF1,
        double macroF1,
        double meanAveragePrecision) {

    /**
     * Scores {@code probabilities} [image][label] against 0/1 {@code targets}. A prediction is
     * positive when its probability reaches {@code threshold}, or, with {@code singleLabel}, when
     * it is the image's most probable label.
     */
    public static TaggingMetrics compute(
            List<String> labels,
            float[][] probabilities,
            float[][] targets,
            boolean singleLabel,
            float threshold) {
        int n = labels.size();
        int images = probabilities.length;
        long[] tp = new long[n];
        long[] fp = new long[n];
        long[] fn = new long[n];
        for (int i = 0; i < images; i++) {
            int best = argmax(probabilities[i]);
            for (int j = 0; j < n; j++) {
                boolean predicted = singleLabel ? j == best : probabilities[i][j] >= threshold;
                boolean actual = targets[i][j] > 0.5f;
                if (predicted && actual) {
                    tp[j]++;
                } else if (predicted) {
                    fp[j]++;
                } else if (actual) {
                    fn[j]++;
                }
            }
        }
        double[] precision = new double[n];
        double[] recall = new double[n];
        double[] f1 = new double[n];
        double[] ap = new double[n];
        long sumTp = 0;
        long sumFp = 0;
        long sumFn = 0;
        double macro = 0;
        double apSum = 0;
        int apCount = 0;
        for (int j = 0; j < n; j++) {
            precision[j] = ratio(tp[j], tp[j] + fp[j]);
            recall[j] = ratio(tp[j], tp[j] + fn[j]);
            f1[j] = f1(tp[j], fp[j], fn[j]);
            macro += f1[j];
            sumTp += tp[j];
            sumFp += fp[j];
            sumFn += fn[j];
            ap[j] = averagePrecision(probabilities, targets, j);
            if (!Double.isNaN(ap[j])) {
                apSum += ap[j];
                apCount++;
            }
        }
        return new TaggingMetrics(
                List.copyOf(labels),
                precision,
                recall,
                f1,
                ap,
                f1(sumTp, sumFp, sumFn),
                n == 0 ? 0 : macro / n,
                apCount == 0 ? Double.NaN : apSum / apCount);
    }

    /** The figure named by {@code name} ({@link TaggerTrainingConfig#MAP} or {@code MICRO_F1}). */
    public double score(String name) {
        return TaggerTrainingConfig.MAP.equals(name) ? meanAveragePrecision : microF1;
    }

    private static double averagePrecision(float[][] probs, float[][] targets, int label) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < probs.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -probs[i][label]));
        int hits = 0;
        double sum = 0;
        for (int rank = 0; rank < order.size(); rank++) {
            if (targets[order.get(rank)][label] > 0.5f) {
                hits++;
                sum += (double) hits / (rank + 1);
            }
        }
        return hits == 0 ? Double.NaN : sum / hits;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int j = 1; j < v.length; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    private static double f1(long tp, long fp, long fn) {
        long denom = 2 * tp + fp + fn;
        return denom == 0 ? 0 : 2.0 * tp / denom;
    }

    /** The figures as JSON (NaN written as null), per-label ones keyed by label name. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("micro_f1", finite(microF1));
        o.addProperty("macro_f1", finite(macroF1));
        o.addProperty("map", finite(meanAveragePrecision));
        JsonObject per = new JsonObject();
        for (int j = 0; j < labels.size(); j++) {
            JsonObject l = new JsonObject();
            l.addProperty("precision", finite(precision[j]));
            l.addProperty("recall", finite(recall[j]));
            l.addProperty("f1", finite(f1[j]));
            l.addProperty("ap", finite(averagePrecision[j]));
            per.add(labels.get(j), l);
        }
        o.add("labels", per);
        return o;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    @Override
    public String toString() {
        return "TaggingMetrics[labels="
                + labels
                + ", f1="
                + Arrays.toString(f1)
                + ", micro_f1="
                + microF1
                + ", macro_f1="
                + macroF1
                + ", map="
                + meanAveragePrecision
                + "]";
    }
}
