package image2music.data.importer;

import image2music.data.media.CollectListener;
import image2music.data.media.CollectSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Importing a user's labelled folders (read by {@link image2music.core.manifest.LabelFolders})
 * label by label, with progress and interruption.
 */
public final class LabelledFolders {

    private LabelledFolders() {}

    /** Imports one file of a label; counts it in the summary and notes what it rejects. */
    @FunctionalInterface
    interface FileImport {
        void run(String label, Path file, CollectSummary summary) throws IOException;
    }

    /**
     * Runs {@code each} over every file of every label folder, label by label, with one progress
     * bar per label and a check for interruption between files.
     *
     * @param alreadyHad how many items a label had before the import (for the summary)
     */
    static CollectSummary importAll(
            Map<String, List<Path>> folders,
            ToIntFunction<String> alreadyHad,
            CollectListener listener,
            FileImport each)
            throws IOException, InterruptedException {
        CollectSummary summary = new CollectSummary();
        for (Map.Entry<String, List<Path>> e : folders.entrySet()) {
            String label = e.getKey();
            summary.alreadyHad(label, alreadyHad.applyAsInt(label));
            listener.labelStarted(label, e.getValue().size(), 0);
            int done = 0;
            for (Path file : e.getValue()) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                each.run(label, file, summary);
                listener.progress(label, ++done);
            }
            listener.labelFinished(label);
        }
        return summary;
    }
}
