package image2music.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class AudioTest {

    @Test
    void concatJoinsChannelsBackToBack() {
        Audio a = new Audio(new float[][] {{1, 2}, {3, 4}}, 100);
        Audio b = new Audio(new float[][] {{5}, {6}}, 100);
        Audio joined = Audio.concat(List.of(a, b));
        assertEquals(3, joined.frames());
        assertArrayEquals(new float[] {1, 2, 5}, joined.channel(0));
        assertArrayEquals(new float[] {3, 4, 6}, joined.channel(1));
        assertThrows(
                IllegalArgumentException.class,
                () -> Audio.concat(List.of(a, Audio.mono(new float[1], 100))));
        assertThrows(
                IllegalArgumentException.class,
                () -> Audio.concat(List.of(a, new Audio(new float[][] {{1}, {1}}, 200))));
        assertThrows(IllegalArgumentException.class, () -> Audio.concat(List.of()));
    }
}
