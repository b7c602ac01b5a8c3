package image2music.audio.spectrogram;

import image2music.audio.Audio;
import image2music.audio.io.Resampler;

/**
 * Audio to mel spectrogram and back, Riffusion-compatible.
 *
 * <p>Forward: STFT magnitude of int16-scaled samples, HTK mel filterbank. Inverse: closed-form
 * non-negative inverse mel ({@link InverseMel}), phase-gradient (PGHI) initial phase, fast
 * Griffin-Lim with mel-consistent magnitude updates at the lowest rate that holds the spectrogram's
 * band ({@link PhaseRecoveryRate}), resampling to the image's rate, then loudness normalisation
 * without clipping. Immutable after construction and safe to use from several threads at once.
 */
public final class SpectrogramConverter {

    /** Riffusion scales [-1, 1] samples to int16 units before the STFT. */
    static final float INT16_SCALE = 32768f;

    /**
     * Projection rounds after the clamped pseudo-inverse (see {@link InverseMel}): none, because
     * Griffin-Lim projects every iteration anyway and extra rounds here measured no better.
     */
    static final int INVERSE_MEL_REFINE_ITERS = 0;

    private final SpectrogramParams params;
    private final MelSpectrogram mel;
    private final InverseMel inverseMel;
    private final PhaseRecoveryRate recoveryRate;
    private final GriffinLim griffinLim;

    public SpectrogramConverter(SpectrogramParams params) {
        this(params, new MelSpectrogram(params));
    }

    /** A converter whose Griffin-Lim runs at {@code recoveryRate}. */
    SpectrogramConverter(SpectrogramParams params, PhaseRecoveryRate recoveryRate) {
        this(params, new MelSpectrogram(params), recoveryRate);
    }

    private SpectrogramConverter(SpectrogramParams params, MelSpectrogram mel) {
        this(params, mel, PhaseRecoveryRate.of(params, mel.stft.bins));
    }

    private SpectrogramConverter(
            SpectrogramParams params, MelSpectrogram mel, PhaseRecoveryRate recoveryRate) {
        this.params = params;
        this.mel = mel;
        this.inverseMel = new InverseMel(mel.filterbank);
        this.recoveryRate = recoveryRate;
        Stft recoveryStft =
                recoveryRate.isReducedFrom(params)
                        ? new Stft(
                                recoveryRate.nFft(),
                                recoveryRate.winLength(),
                                recoveryRate.hopLength(),
                                mel.stft.bins)
                        : mel.stft;
        this.griffinLim = new GriffinLim(recoveryStft, inverseMel);
    }

    public SpectrogramParams params() {
        return params;
    }

    /**
     * The mel spectrogram of {@code audio}, which must be at {@code params.sampleRate()}; stereo
     * input is averaged to mono unless the params are stereo (then mono input is duplicated).
     */
    public Spectrogram spectrogramFromAudio(Audio audio) {
        if (audio.sampleRate() != params.sampleRate()) {
            throw new IllegalArgumentException(
                    "audio is at "
                            + audio.sampleRate()
                            + " Hz, the spectrogram expects "
                            + params.sampleRate()
                            + " Hz: resample first");
        }
        if (audio.frames() == 0) {
            throw new IllegalArgumentException("audio has no samples");
        }
        float[][] channels;
        if (params.stereo()) {
            float[] left = audio.channel(0);
            float[] right = audio.channelCount() > 1 ? audio.channel(1) : left;
            channels = new float[][] {left, right};
        } else {
            channels = new float[][] {audio.toMono().channel(0)};
        }
        float[][][] data = new float[channels.length][][];
        for (int c = 0; c < channels.length; c++) {
            data[c] = mel.compute(channels[c], INT16_SCALE);
        }
        return new Spectrogram(data, params);
    }

    /**
     * Audio of {@code (frames - 1) * hop} samples per channel whose mel spectrogram approximates
     * {@code s}, normalised to -12 dBFS RMS with the peak kept at or below -0.1 dBFS. The same seed
     * gives the same samples.
     */
    public Audio audioFromSpectrogram(Spectrogram s, long seed) {
        return audioFromSpectrogram(s, seed, new StepTimes());
    }

    /**
     * {@link #audioFromSpectrogram(Spectrogram, long)}, adding the time of each step (inverse mel,
     * phase init, Griffin-Lim, resampling, loudness) to {@code times}.
     */
    public Audio audioFromSpectrogram(Spectrogram s, long seed, StepTimes times) {
        Audio rebuilt = audioAtScale(s, seed, times);
        long t0 = System.nanoTime();
        Audio normalized = LoudnessNormalizer.normalize(rebuilt);
        times.lap("loudness", t0);
        return normalized;
    }

    /**
     * {@link #audioFromSpectrogram(Spectrogram, long, StepTimes)} without the loudness step: the
     * samples at the spectrogram's own scale (magnitudes of int16-scaled samples, divided back), so
     * stretches of one piece inverted apart keep their relative level.
     */
    public Audio audioAtScale(Spectrogram s, long seed, StepTimes times) {
        requireSameFormat(s);
        float[][] out = new float[s.channels()][];
        float magnitudeScale = (float) recoveryRate.magnitudeScale(params);
        for (int c = 0; c < out.length; c++) {
            long t0 = System.nanoTime();
            float[][] melFrames = s.framesOf(c);
            float[][] linear = linearMagnitudes(melFrames);
            t0 = times.lap("inverse mel", t0);
            // PGHI sees the magnitudes at the image's scale, so its integration order (quantised
            // log-magnitudes) and hence the initial phase do not depend on the recovery rate.
            float[][] phase = initialPhase(linear, seed + c);
            t0 = times.lap("phase init (PGHI)", t0);
            if (magnitudeScale != 1f) {
                // The targets of an STFT at the recovery rate, so the rebuilt samples keep the
                // level they would have at the full rate.
                scale(melFrames, magnitudeScale);
                scale(linear, magnitudeScale);
            }
            float[] y = griffinLim.reconstruct(linear, phase, melFrames, params.griffinLimIters());
            for (int i = 0; i < y.length; i++) {
                y[i] /= INT16_SCALE;
            }
            out[c] = y;
            times.lap("Griffin-Lim x" + params.griffinLimIters(), t0);
        }
        long t0 = System.nanoTime();
        Audio rebuilt = new Audio(out, recoveryRate.sampleRate());
        if (recoveryRate.isReducedFrom(params)) {
            rebuilt = Resampler.resample(rebuilt, params.sampleRate());
            times.lap("resample", t0);
        }
        return rebuilt;
    }

    private static void scale(float[][] frames, float factor) {
        Parallel.forRange(
                frames.length,
                64,
                (from, to) -> {
                    for (int t = from; t < to; t++) {
                        float[] frame = frames[t];
                        for (int i = 0; i < frame.length; i++) {
                            frame[i] *= factor;
                        }
                    }
                });
    }

    /** Closed-form non-negative inverse mel of {@code [frame][mel]}: {@code [frame][bin]}. */
    float[][] linearMagnitudes(float[][] melFrames) {
        int bins = mel.stft.bins;
        float[][] linear = new float[melFrames.length][bins];
        ThreadLocal<InverseMel.Scratch> scratch = ThreadLocal.withInitial(inverseMel::newScratch);
        Parallel.forRange(
                melFrames.length,
                16,
                (from, to) -> {
                    InverseMel.Scratch sc = scratch.get();
                    for (int t = from; t < to; t++) {
                        inverseMel.invert(melFrames[t], INVERSE_MEL_REFINE_ITERS, linear[t], sc);
                    }
                });
        return linear;
    }

    float[][] initialPhase(float[][] linear, long seed) {
        return PhaseGradientHeuristic.phases(
                linear, params.hopLength(), params.nFft(), params.winLength(), seed);
    }

    private void requireSameFormat(Spectrogram s) {
        if (!s.params().sameFormat(params)) {
            throw new IllegalArgumentException(
                    "spectrogram params " + s.params() + " differ from the converter's " + params);
        }
    }
}
