package image2music.pipeline.progress;

import image2music.models.diffusion.pipeline.GenerationProgress;

/**
 * The models' per-step callback turned into events: each step becomes a {@link ProgressEvent.Step}
 * (after a cancellation check, so a cancelled run stops between steps), and a clip whose steps are
 * over becomes a {@link ProgressEvent.ClipDone} when the next one starts or on {@link #finish()}.
 */
public final class StepReporter implements GenerationProgress {

    private final ProgressListener listener;
    private final Cancellation cancellation;
    private int clip = -1;

    /** Reports {@code clips} clips called {@code unit} to {@code listener}. */
    public StepReporter(
            int clips, String unit, ProgressListener listener, Cancellation cancellation) {
        this.listener = listener;
        this.cancellation = cancellation;
        cancellation.check();
        listener.on(new ProgressEvent.Started(clips, unit));
    }

    @Override
    public void stepDone(int image, int step, int steps) {
        cancellation.check();
        if (image != clip) {
            finish();
            clip = image;
        }
        listener.on(new ProgressEvent.Step(image, step, steps));
    }

    /** Marks the current clip done (once); call after its last step. */
    public void finish() {
        if (clip >= 0) {
            listener.on(new ProgressEvent.ClipDone(clip));
            clip = -1;
        }
    }
}
