package image2music.models.diffusion;

import image2music.models.nn.ConfigLimits;
import java.util.List;

/** The config checks UNet and VAE share; each message names the config.json field and value. */
final class ConfigChecks {

    /** Most resolution levels (SD has 4; each halves the image). */
    static final int MAX_LEVELS = 16;

    private ConfigChecks() {}

    /** The sizes UNet and VAE share, bounded ({@link ConfigLimits}). */
    static void capSizes(int inChannels, int outChannels, int layersPerBlock, int sampleSize) {
        ConfigLimits.cap("in_channels", inChannels, ConfigLimits.MAX_WIDTH);
        ConfigLimits.cap("out_channels", outChannels, ConfigLimits.MAX_WIDTH);
        ConfigLimits.cap("layers_per_block", layersPerBlock, ConfigLimits.MAX_LAYERS);
        ConfigLimits.cap("sample_size", sampleSize, ConfigLimits.MAX_IMAGE_SIZE);
    }

    /** One down block and one up block per entry of {@code block_out_channels}, at least one. */
    static void sameLevels(
            List<Integer> blockOutChannels,
            List<String> downBlockTypes,
            List<String> upBlockTypes) {
        int levels = blockOutChannels.size();
        ConfigLimits.capEach(
                "block_out_channels", blockOutChannels, ConfigLimits.MAX_WIDTH, MAX_LEVELS);
        if (levels == 0 || downBlockTypes.size() != levels || upBlockTypes.size() != levels) {
            throw new IllegalArgumentException(
                    "block_out_channels "
                            + blockOutChannels
                            + ", down_block_types "
                            + downBlockTypes
                            + " and up_block_types "
                            + upBlockTypes
                            + " must have the same, non-zero length");
        }
    }

    /** Every level's width splits into {@code norm_num_groups} GroupNorm groups. */
    static void groupMultiples(List<Integer> blockOutChannels, int normNumGroups) {
        for (int i = 0; i < blockOutChannels.size(); i++) {
            int ch = blockOutChannels.get(i);
            if (ch <= 0 || normNumGroups <= 0 || ch % normNumGroups != 0) {
                throw new IllegalArgumentException(
                        "block_out_channels["
                                + i
                                + "] = "
                                + ch
                                + " is not a positive multiple of norm_num_groups "
                                + normNumGroups);
            }
        }
    }

    /** Only SiLU is built. */
    static void silu(String actFn) {
        if (!"silu".equals(actFn)) {
            throw new IllegalArgumentException("act_fn '" + actFn + "' is not supported (silu)");
        }
    }
}
