package image2music.pipeline.demo;

/** What a running demo reports, in order: per stage {@link StageStarted}, lines, then done. */
public sealed interface DemoEvent {

    /**
     * Stage {@code index} (1-based) of {@code count} begins.
     *
     * @param name the verb the stage runs ("synth-corpus", "train-tagger", …)
     */
    record StageStarted(int index, int count, String name) implements DemoEvent {}

    /** A stage found its output complete from an earlier run and was skipped. */
    record StageSkipped(String name) implements DemoEvent {}

    /** A stage finished in {@code seconds}. */
    record StageDone(String name, double seconds) implements DemoEvent {}

    /** A line for the user (a summary, a prediction, a note). */
    record Line(String text) implements DemoEvent {}

    /** One line of text for this event, as the CLI prints it. */
    default String describe() {
        if (this instanceof StageStarted s) {
            return "[" + s.index() + "/" + s.count() + "] " + s.name();
        }
        if (this instanceof StageSkipped s) {
            return "    " + s.name() + ": output complete from an earlier run, skipped";
        }
        if (this instanceof StageDone s) {
            return String.format(java.util.Locale.ROOT, "    %s: %.1f s", s.name(), s.seconds());
        }
        return "    " + ((Line) this).text();
    }
}
