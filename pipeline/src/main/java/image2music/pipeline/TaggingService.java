package image2music.pipeline;

import image2music.models.vit.LabelScore;
import image2music.models.vit.RgbImage;
import image2music.models.vit.RgbImages;
import image2music.models.vit.ViTTagger;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tagging as a service: loads the tagger once and tags the pictures in batches, telling a {@link
 * Listener} each picture's labels as its batch is done, and each picture that cannot be read at
 * once (the others are still tagged).
 */
public final class TaggingService {

    /** Pictures per forward pass. */
    private static final int BATCH = 8;

    /** Told each result as it comes. */
    public interface Listener {

        /** {@code image}'s chosen labels, most probable first. */
        void tagged(Path image, List<LabelScore> labels);

        /** {@code image} could not be read or decoded. */
        void failed(Path image, IOException error);
    }

    /**
     * Tags every readable picture.
     *
     * @return how many pictures failed
     * @throws IOException if the tagger cannot be loaded
     */
    public int run(TagRequest r, Listener listener) throws IOException {
        int failures = 0;
        try (ViTTagger tagger = ViTTagger.open(r.tagger())) {
            List<Path> paths = new ArrayList<>();
            List<RgbImage> batch = new ArrayList<>();
            for (Path p : r.images()) {
                try {
                    batch.add(RgbImages.read(p));
                    paths.add(p);
                } catch (IOException e) {
                    listener.failed(p, e);
                    failures++;
                }
                if (batch.size() == BATCH) {
                    report(tagger, r, paths, batch, listener);
                }
            }
            if (!batch.isEmpty()) {
                report(tagger, r, paths, batch, listener);
            }
        }
        return failures;
    }

    /** Tags {@code batch}, tells {@code listener}, and empties both lists. */
    private static void report(
            ViTTagger tagger,
            TagRequest r,
            List<Path> paths,
            List<RgbImage> batch,
            Listener listener) {
        List<List<LabelScore>> ranked = tagger.tag(batch);
        for (int i = 0; i < paths.size(); i++) {
            listener.tagged(paths.get(i), ViTTagger.select(ranked.get(i), r.topK(), r.threshold()));
        }
        paths.clear();
        batch.clear();
    }
}
