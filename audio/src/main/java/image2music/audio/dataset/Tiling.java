package image2music.audio.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the tiles of one segment start. A segment of W image columns gets ceil(W / tileWidth) tiles
 * spread evenly from its first to its last sample, so together they cover it, overlapping a little;
 * each tile is the audio of exactly {@code tileWidth} columns.
 */
public final class Tiling {

    /** One tile: its first sample within the segment and its length in samples. */
    public record Tile(int start, int samples) {}

    private Tiling() {}

    public static List<Tile> tiles(DatasetParams p) {
        int segment = p.segmentSamples();
        if (p.tileWidth() == 0) {
            return List.of(new Tile(0, segment));
        }
        int columns = 1 + segment / p.hopLength();
        int tileSamples = (p.tileWidth() - 1) * p.hopLength();
        int count = (columns + p.tileWidth() - 1) / p.tileWidth();
        List<Tile> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long start =
                    count == 1 ? 0 : Math.round((double) i * (segment - tileSamples) / (count - 1));
            out.add(new Tile((int) start, tileSamples));
        }
        return out;
    }
}
