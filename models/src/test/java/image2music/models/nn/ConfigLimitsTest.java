package image2music.models.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.models.Fixtures;
import image2music.models.clip.CLIPTextConfig;
import image2music.models.diffusion.AutoencoderKLConfig;
import image2music.models.diffusion.UNet2DConditionConfig;
import image2music.models.vit.ViTConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A config.json asking for absurd sizes is refused by name, before anything is built. */
class ConfigLimitsTest {

    private static JsonObject fixture(String model) throws IOException {
        return JsonParser.parseString(
                        Files.readString(Fixtures.path("hf/" + model + "/config.json")))
                .getAsJsonObject();
    }

    private static void assertRefused(
            String model, String field, Consumer<JsonObject> edit, Consumer<JsonObject> parse)
            throws IOException {
        JsonObject o = fixture(model);
        edit.accept(o);
        IllegalArgumentException e =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(5),
                        () -> assertThrows(IllegalArgumentException.class, () -> parse.accept(o)));
        assertTrue(e.getMessage().contains(field), e.getMessage());
        assertTrue(e.getMessage().contains("over the limit"), e.getMessage());
    }

    @Test
    void absurdSizesAreRefusedNamingTheField() throws IOException {
        assertRefused(
                "vit_tiny",
                "num_hidden_layers",
                o -> o.addProperty("num_hidden_layers", 100_000_000),
                ViTConfig::fromJson);
        assertRefused(
                "vit_tiny",
                "intermediate_size",
                o -> o.addProperty("intermediate_size", 2_000_000_000),
                ViTConfig::fromJson);
        assertRefused(
                "clip_text_tiny",
                "max_position_embeddings",
                o -> o.addProperty("max_position_embeddings", 1_000_000_000),
                CLIPTextConfig::fromJson);
        assertRefused(
                "clip_text_tiny",
                "vocab_size",
                o -> o.addProperty("vocab_size", 2_000_000_000),
                CLIPTextConfig::fromJson);
        assertRefused(
                "unet_tiny",
                "layers_per_block",
                o -> o.addProperty("layers_per_block", 100_000_000),
                o -> UNet2DConditionConfig.fromJson(o).validate());
        assertRefused(
                "unet_tiny",
                "block_out_channels",
                o -> {
                    JsonArray wide = new JsonArray();
                    o.getAsJsonArray("block_out_channels").forEach(v -> wide.add(1 << 24));
                    o.add("block_out_channels", wide);
                },
                o -> UNet2DConditionConfig.fromJson(o).validate());
        assertRefused(
                "vae_tiny",
                "layers_per_block",
                o -> o.addProperty("layers_per_block", 100_000_000),
                o -> AutoencoderKLConfig.fromJson(o).validate());
    }
}
