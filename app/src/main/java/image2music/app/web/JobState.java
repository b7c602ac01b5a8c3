package image2music.app.web;

import java.util.Locale;

/** Where a job is in its life: queued, then running, then one of the three ends. */
public enum JobState {
    QUEUED,
    RUNNING,
    DONE,
    FAILED,
    CANCELLED;

    /** Whether the job has ended. */
    public boolean ended() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    /** The state as the API writes it. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
