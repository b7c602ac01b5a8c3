package image2music.models.diffusion;

/** The factory for diffusers' block-type strings ({@code get_down_block}, {@code get_up_block}). */
final class UNet2DBlocks {

    private UNet2DBlocks() {}

    static DownBlock2D downBlock(
            String type, UNet2DConditionConfig c, long in, long out, int heads, boolean down) {
        return switch (type) {
            case "DownBlock2D" -> new DownBlock2D(c, in, out, 0, down);
            case "CrossAttnDownBlock2D" -> new DownBlock2D(c, in, out, heads, down);
            default ->
                    throw new IllegalArgumentException(
                            "down_block_types: '"
                                    + type
                                    + "' does not exist (known: DownBlock2D, CrossAttnDownBlock2D)");
        };
    }

    static UpBlock2D upBlock(
            String type,
            UNet2DConditionConfig c,
            long in,
            long out,
            long prevOut,
            int heads,
            boolean up) {
        return switch (type) {
            case "UpBlock2D" -> new UpBlock2D(c, in, out, prevOut, 0, up);
            case "CrossAttnUpBlock2D" -> new UpBlock2D(c, in, out, prevOut, heads, up);
            default ->
                    throw new IllegalArgumentException(
                            "up_block_types: '"
                                    + type
                                    + "' does not exist (known: UpBlock2D, CrossAttnUpBlock2D)");
        };
    }

    static UNetMidBlock2DCrossAttn midBlock(
            String type, UNet2DConditionConfig c, long channels, int heads) {
        if (!"UNetMidBlock2DCrossAttn".equals(type)) {
            throw new IllegalArgumentException(
                    "mid_block_type: '"
                            + type
                            + "' does not exist (known: UNetMidBlock2DCrossAttn)");
        }
        return new UNetMidBlock2DCrossAttn(c, channels, heads);
    }
}
