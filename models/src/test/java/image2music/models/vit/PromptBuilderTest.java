package image2music.models.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {

    @Test
    void labelsAreSortedDeduplicatedAndJoinedLikeDatasetCaptions() {
        assertEquals("calm, gloomy", PromptBuilder.caption(List.of("gloomy", "calm", "gloomy")));
        assertEquals("happy", PromptBuilder.fromScores(List.of(new LabelScore(" happy ", 0.9f))));
        assertEquals("dark ambient, epic", PromptBuilder.caption(List.of("epic", "dark ambient")));
    }

    @Test
    void noLabelsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> PromptBuilder.caption(List.of(" ")));
    }
}
