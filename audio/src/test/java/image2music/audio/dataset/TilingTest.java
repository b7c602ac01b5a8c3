package image2music.audio.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TilingTest {

    @Test
    void fifteenSecondSegmentGetsThreeEvenlySpacedTilesCoveringIt() {
        List<Tiling.Tile> tiles = Tiling.tiles(DatasetParams.defaults());
        assertEquals(3, tiles.size()); // ceil(1501 / 512)
        int segment = 15 * 44100;
        for (Tiling.Tile t : tiles) {
            // 511 hops: the image of these samples is exactly 512 px wide.
            assertEquals(511 * 441, t.samples());
            assertEquals(512, 1 + t.samples() / 441);
        }
        assertEquals(0, tiles.get(0).start());
        assertEquals(segment, tiles.get(2).start() + tiles.get(2).samples());
        int gap1 = tiles.get(1).start() - tiles.get(0).start();
        int gap2 = tiles.get(2).start() - tiles.get(1).start();
        assertEquals(gap1, gap2, 1.0);
    }

    @Test
    void tileWidthZeroKeepsWholeSegment() {
        List<Tiling.Tile> tiles = Tiling.tiles(DatasetParams.defaults().withTileWidth(0));
        assertEquals(List.of(new Tiling.Tile(0, 661500)), tiles);
        assertEquals(1501, 1 + tiles.get(0).samples() / 441);
    }

    @Test
    void segmentExactlyOneTileLongGivesOneTile() {
        DatasetParams p = DatasetParams.defaults().withSegmentSeconds(511 * 441 / 44100.0);
        assertEquals(List.of(new Tiling.Tile(0, 511 * 441)), Tiling.tiles(p));
    }

    @Test
    void segmentShorterThanATileIsRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> DatasetParams.defaults().withSegmentSeconds(5));
        assertEquals(true, e.getMessage().contains("shorter than one 512 px tile"));
    }
}
