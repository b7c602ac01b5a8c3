package image2music.audio.longform;

import image2music.audio.spectrogram.Spectrogram;
import image2music.audio.spectrogram.SpectrogramParams;
import java.util.List;

/**
 * Joins the clip spectrograms of a {@link ClipPlan} into one continuous spectrogram, cross-fading
 * each overlap, so the whole piece is inverted once (phase stays continuous across joins; inverting
 * clip by clip and splicing audio would click wherever the phases disagree).
 *
 * <p>The cross-fade is linear in the magnitude domain, {@code S = (1 - w) A + w B}, with a
 * raised-cosine ramp {@code w}. Why magnitude-linear: a spectrogram states the target magnitude of
 * one signal, it is not a sum of two signals, so the constant-power argument for audio cross-fades
 * does not apply; where the clips agree (the overlap is what the next clip was conditioned on) any
 * convex blend returns the shared value, and where they differ, magnitude-linear moves
 * monotonically from one to the other with neither the loudness bump of blending powers (the
 * quadratic mean, biased to the louder clip) nor the dip of blending the S^0.25 image pixels (that
 * power mean is biased to the quieter one). Why raised cosine: its slope is zero at both ends of
 * the overlap, so the fade itself adds no frame-to-frame jump there.
 */
public final class SpectrogramStitcher {

    private final ClipPlan plan;
    private final int fadeStart;

    /** Cross-fades over each whole overlap. */
    public SpectrogramStitcher(ClipPlan plan) {
        this(plan, 0);
    }

    /**
     * Keeps the earlier clip over the first {@code fadeStart} frames of each overlap and
     * cross-fades over the rest. Why: where the later clip was outpainted from the earlier one, its
     * first frames are the earlier clip's own (pinned) content and its seam, if any, lies at the
     * end of the pinned part; starting the fade there puts that seam under a weight near 0.
     *
     * @throws IllegalArgumentException unless {@code 0 <= fadeStart < overlap} (or 0 without an
     *     overlap)
     */
    public SpectrogramStitcher(ClipPlan plan, int fadeStart) {
        if (fadeStart < 0 || (fadeStart > 0 && fadeStart >= plan.overlap())) {
            throw new IllegalArgumentException(
                    "fade start must be in [0, overlap " + plan.overlap() + "), got " + fadeStart);
        }
        this.plan = plan;
        this.fadeStart = fadeStart;
    }

    /** The frames where one clip hands over to the next: the middle of each cross-fade. */
    public int[] joins() {
        int[] joins = new int[plan.clipCount() - 1];
        for (int i = 1; i < plan.clipCount(); i++) {
            joins[i - 1] = plan.start(i) + fadeStart + (plan.overlap() - fadeStart) / 2;
        }
        return joins;
    }

    public ClipPlan plan() {
        return plan;
    }

    /**
     * Weight of the later clip at frame {@code k} of an overlap of {@code overlap} frames: rises
     * from near 0 to near 1, never reaching either, and {@code w(k) + w(overlap - 1 - k) = 1}.
     */
    public static double fadeIn(int k, int overlap) {
        if (k < 0 || k >= overlap) {
            throw new IllegalArgumentException("frame " + k + " outside an overlap of " + overlap);
        }
        return 0.5 - 0.5 * Math.cos(Math.PI * (k + 1) / (overlap + 1));
    }

    /**
     * The piece: {@code plan.totalFrames()} frames. Clip {@code i} must have {@code plan.width()}
     * frames; the last may instead be cut to anything from {@code plan.usedFrames(last)} up. All
     * clips must share one spectrogram format.
     *
     * @throws IllegalArgumentException naming the clip whose count, size or format is wrong
     */
    public Spectrogram stitch(List<Spectrogram> clips) {
        int n = plan.clipCount();
        if (clips.size() != n) {
            throw new IllegalArgumentException("the plan has " + n + " clips, got " + clips.size());
        }
        SpectrogramParams params = clips.get(0).params();
        for (int i = 0; i < n; i++) {
            checkClip(i, clips.get(i), params);
        }
        int channels = params.channels();
        int mels = params.numFrequencies();
        int overlap = plan.overlap();
        int fade = overlap - fadeStart;
        float[][][] out = new float[channels][mels][plan.totalFrames()];
        for (int i = 0; i < n; i++) {
            float[][][] clip = clips.get(i).data();
            int start = plan.start(i);
            int used = plan.usedFrames(i);
            // The first clip has nothing to keep or fade from.
            int keep = i == 0 ? 0 : Math.min(fadeStart, used);
            int fadeEnd = i == 0 ? 0 : Math.min(overlap, used);
            for (int c = 0; c < channels; c++) {
                for (int m = 0; m < mels; m++) {
                    float[] src = clip[c][m];
                    float[] dst = out[c][m];
                    for (int k = keep; k < fadeEnd; k++) {
                        double w = fadeIn(k - fadeStart, fade);
                        dst[start + k] = (float) ((1 - w) * dst[start + k] + w * src[k]);
                    }
                    System.arraycopy(src, fadeEnd, dst, start + fadeEnd, used - fadeEnd);
                }
            }
        }
        return new Spectrogram(out, params);
    }

    private void checkClip(int i, Spectrogram clip, SpectrogramParams params) {
        if (!clip.params().sameFormat(params)) {
            throw new IllegalArgumentException(
                    "clip " + i + " has params " + clip.params() + ", clip 0 has " + params);
        }
        boolean last = i == plan.clipCount() - 1;
        int frames = clip.frames();
        boolean ok =
                last
                        ? frames >= plan.usedFrames(i) && frames <= plan.width()
                        : frames == plan.width();
        if (!ok) {
            throw new IllegalArgumentException(
                    "clip "
                            + i
                            + " has "
                            + frames
                            + " frames, expected "
                            + (last
                                    ? plan.usedFrames(i) + ".." + plan.width()
                                    : String.valueOf(plan.width())));
        }
    }
}
