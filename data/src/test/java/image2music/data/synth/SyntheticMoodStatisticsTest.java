package image2music.data.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import image2music.audio.Audio;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The moods must be learnable yet not trivially separable: each modality has a feature whose
 * per-mood means differ significantly (one-way ANOVA), while a nearest-centroid classifier on a few
 * simple features, scored leave-one-out, stays below 100 %.
 */
class SyntheticMoodStatisticsTest {

    private static final int PER_MOOD = 16;
    private static final double SECONDS = 4;

    /** F(3, 60) at p = 0.001 is about 6.2: well above that means "clearly different". */
    private static final double MIN_F = 10;

    private static final SyntheticCorpus CORPUS =
            new SyntheticCorpus(
                    SynthCorpusParams.defaults()
                            .withSeed(11)
                            .withSeconds(SECONDS)
                            .withImageSize(48)
                            .withThreads(1));

    @Test
    void musicMoodsDifferInLoudnessAndPaceYetOverlap() throws Exception {
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (int m = 0; m < MoodProfile.BUILT_IN.size(); m++) {
            for (int i = 0; i < PER_MOOD; i++) {
                x.add(audioFeatures(CORPUS.music(MoodProfile.BUILT_IN.get(m), i)));
                y.add(m);
            }
        }
        check("music (rms dBFS, zero-crossing rate, onsets/s)", x, y);
    }

    @Test
    void pictureMoodsDifferInBrightnessAndSaturationYetOverlap() {
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (int m = 0; m < MoodProfile.BUILT_IN.size(); m++) {
            for (int i = 0; i < PER_MOOD; i++) {
                x.add(imageFeatures(CORPUS.image(MoodProfile.BUILT_IN.get(m), i)));
                y.add(m);
            }
        }
        check("pictures (brightness, saturation)", x, y);
    }

    private static void check(String what, List<double[]> x, List<Integer> y) {
        int moods = MoodProfile.BUILT_IN.size();
        double bestF = 0;
        StringBuilder fs = new StringBuilder();
        for (int f = 0; f < x.get(0).length; f++) {
            double fStat = anovaF(x, y, f, moods);
            fs.append(String.format(" F%d=%.1f", f, fStat));
            bestF = Math.max(bestF, fStat);
        }
        double accuracy = nearestCentroidLeaveOneOut(standardise(x), y, moods);
        String msg = what + ":" + fs + ", nearest-centroid accuracy " + accuracy;
        System.out.println(msg);
        assertTrue(bestF > MIN_F, msg);
        assertTrue(accuracy < 1.0, "moods must overlap; " + msg);
        assertTrue(accuracy > 0.5, "moods must be learnable (chance 0.25); " + msg);
    }

    static double[] audioFeatures(Audio a) {
        float[] s = a.channel(0);
        double sum = 0;
        int crossings = 0;
        for (int i = 0; i < s.length; i++) {
            sum += s[i] * (double) s[i];
            if (i > 0 && (s[i] >= 0) != (s[i - 1] >= 0)) {
                crossings++;
            }
        }
        double rmsDb = 10 * Math.log10(sum / s.length + 1e-12);
        // Onsets: 10 ms frames whose log energy jumps by 3 dB over the previous 30 ms average.
        int frame = a.sampleRate() / 100;
        int frames = s.length / frame;
        double[] e = new double[frames];
        for (int f = 0; f < frames; f++) {
            double en = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                en += s[i] * (double) s[i];
            }
            e[f] = 10 * Math.log10(en / frame + 1e-10);
        }
        int onsets = 0;
        int last = -10;
        for (int f = 3; f < frames; f++) {
            double before = (e[f - 1] + e[f - 2] + e[f - 3]) / 3;
            if (e[f] - before > 3 && f - last >= 5) {
                onsets++;
                last = f;
            }
        }
        return new double[] {rmsDb, crossings / a.durationSeconds(), onsets / a.durationSeconds()};
    }

    static double[] imageFeatures(BufferedImage img) {
        double v = 0;
        double sat = 0;
        float[] hsb = new float[3];
        int n = img.getWidth() * img.getHeight();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                Color.RGBtoHSB((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff, hsb);
                sat += hsb[1];
                v += hsb[2];
            }
        }
        return new double[] {v / n, sat / n};
    }

    /** Between-group over within-group variance of feature {@code f}. */
    static double anovaF(List<double[]> x, List<Integer> y, int f, int groups) {
        double[] sum = new double[groups];
        int[] count = new int[groups];
        double total = 0;
        for (int i = 0; i < x.size(); i++) {
            sum[y.get(i)] += x.get(i)[f];
            count[y.get(i)]++;
            total += x.get(i)[f];
        }
        double grand = total / x.size();
        double between = 0;
        for (int g = 0; g < groups; g++) {
            double mean = sum[g] / count[g];
            between += count[g] * (mean - grand) * (mean - grand);
        }
        double within = 0;
        for (int i = 0; i < x.size(); i++) {
            double d = x.get(i)[f] - sum[y.get(i)] / count[y.get(i)];
            within += d * d;
        }
        return (between / (groups - 1)) / (within / (x.size() - groups));
    }

    static List<double[]> standardise(List<double[]> x) {
        int d = x.get(0).length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (double[] v : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[j] / x.size();
            }
        }
        for (double[] v : x) {
            for (int j = 0; j < d; j++) {
                sd[j] += (v[j] - mean[j]) * (v[j] - mean[j]) / x.size();
            }
        }
        List<double[]> out = new ArrayList<>();
        for (double[] v : x) {
            double[] z = new double[d];
            for (int j = 0; j < d; j++) {
                z[j] = (v[j] - mean[j]) / Math.sqrt(sd[j] + 1e-12);
            }
            out.add(z);
        }
        return out;
    }

    /** Share of items whose nearest class centroid (computed without the item) is their mood. */
    static double nearestCentroidLeaveOneOut(List<double[]> x, List<Integer> y, int groups) {
        int d = x.get(0).length;
        int right = 0;
        for (int held = 0; held < x.size(); held++) {
            double[][] c = new double[groups][d];
            int[] n = new int[groups];
            for (int i = 0; i < x.size(); i++) {
                if (i == held) {
                    continue;
                }
                n[y.get(i)]++;
                for (int j = 0; j < d; j++) {
                    c[y.get(i)][j] += x.get(i)[j];
                }
            }
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int g = 0; g < groups; g++) {
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    double diff = x.get(held)[j] - c[g][j] / n[g];
                    dist += diff * diff;
                }
                if (dist < bestD) {
                    bestD = dist;
                    best = g;
                }
            }
            if (best == y.get(held)) {
                right++;
            }
        }
        return right / (double) x.size();
    }
}
