package image2music.models.diffusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import image2music.models.nn.Conv2d;
import image2music.models.nn.FusedOps;
import image2music.models.nn.GradientCheckpoints;
import image2music.models.nn.GroupNorm;
import image2music.models.nn.HfBlock;
import image2music.models.nn.Linear;
import image2music.models.nn.ModuleList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * diffusers' {@code UNet2DConditionModel} (SD1.x family): predicts the noise in a latent {@code
 * sample} at {@code timestep} given text states. Children in diffusers' registration order, so keys
 * and state-dict order are diffusers': {@code conv_in}, {@code time_embedding}, {@code
 * add_embedding} (with {@code addition_embed_type "text"}), {@code down_blocks}, {@code up_blocks},
 * {@code mid_block}, {@code conv_norm_out}, {@code conv_out} ({@code time_proj} has no parameters).
 * Parameters know their shapes at construction and hold no memory until initialised or loaded.
 */
public final class UNet2DConditionModel extends HfBlock {

    private static final float INIT_STD = 0.02f;
    private static final double MAX_PERIOD = 10000;

    private final UNet2DConditionConfig config;
    private final Conv2d convIn;
    private final TimestepEmbedding timeEmbedding;
    private final TextTimeEmbedding addEmbedding;
    private final ModuleList<DownBlock2D> downBlocks;
    private final ModuleList<UpBlock2D> upBlocks;
    private final UNetMidBlock2DCrossAttn midBlock;
    private final GroupNorm convNormOut;
    private final Conv2d convOut;

    /** A UNet for {@code config} (parameters unallocated). */
    public UNet2DConditionModel(UNet2DConditionConfig config) {
        config.validate();
        this.config = config;
        List<Integer> ch = config.blockOutChannels();
        int levels = ch.size();
        convIn = child("conv_in", new Conv2d(config.inChannels(), ch.get(0), 3, 1, 1, INIT_STD));
        timeEmbedding =
                child("time_embedding", new TimestepEmbedding(ch.get(0), config.timeEmbedDim()));
        addEmbedding =
                config.additionEmbedType() == null
                        ? null
                        : child(
                                "add_embedding",
                                new TextTimeEmbedding(
                                        config.crossAttentionDim(),
                                        config.timeEmbedDim(),
                                        config.additionEmbedHeads()));
        downBlocks = child("down_blocks", new ModuleList<>());
        upBlocks = child("up_blocks", new ModuleList<>());
        long out = ch.get(0);
        for (int i = 0; i < levels; i++) {
            long in = out;
            out = ch.get(i);
            downBlocks.add(
                    UNet2DBlocks.downBlock(
                            config.downBlockTypes().get(i),
                            config,
                            in,
                            out,
                            config.heads(i),
                            i < levels - 1));
        }
        midBlock =
                child(
                        "mid_block",
                        UNet2DBlocks.midBlock(
                                config.midBlockType(),
                                config,
                                ch.get(levels - 1),
                                config.heads(levels - 1)));
        out = ch.get(levels - 1);
        for (int i = 0; i < levels; i++) {
            long prev = out;
            out = ch.get(levels - 1 - i);
            long in = ch.get(Math.max(levels - 2 - i, 0));
            upBlocks.add(
                    UNet2DBlocks.upBlock(
                            config.upBlockTypes().get(i),
                            config,
                            in,
                            out,
                            prev,
                            config.heads(levels - 1 - i),
                            i < levels - 1));
        }
        convNormOut =
                child(
                        "conv_norm_out",
                        new GroupNorm(config.normNumGroups(), ch.get(0), config.normEps()));
        convOut = child("conv_out", new Conv2d(ch.get(0), config.outChannels(), 3, 1, 1, INIT_STD));
    }

    /** The configuration. */
    public UNet2DConditionConfig config() {
        return config;
    }

    /**
     * Predicts the noise outside training, in a sub-manager of {@code manager} that frees every
     * intermediate; only the result is kept, in {@code manager}.
     */
    public NDArray predict(NDManager manager, NDArray sample, NDArray timesteps, NDArray context) {
        try (NDManager step = manager.newSubManager()) {
            NDArray out =
                    run(new ParameterStore(step, false), sample, timesteps, context, false, null);
            out.attach(manager);
            return out;
        }
    }

    /**
     * Predicts the noise: {@code sample} [B, in, H, W], {@code timesteps} [B] or a scalar (any
     * numeric type), {@code context} [B, S, cross_attention_dim].
     *
     * @param intermediates when not null, receives the diffusers forward-hook outputs by module
     *     name ({@code time_proj}, {@code time_embedding}, {@code conv_in}, {@code down_blocks.i},
     *     {@code mid_block}, {@code up_blocks.i}, {@code conv_norm_out})
     */
    public NDArray run(
            ParameterStore ps,
            NDArray sample,
            NDArray timesteps,
            NDArray context,
            boolean training,
            Map<String, NDArray> intermediates) {
        return run(ps, sample, timesteps, context, training, intermediates, null);
    }

    /**
     * {@link #run(ParameterStore, NDArray, NDArray, NDArray, boolean, Map)} with gradient
     * checkpointing when {@code tape} is not null: every resnet and attention of the down, mid and
     * up blocks is a segment of {@code tape}, so training keeps only the states between them and
     * recomputes the rest in {@code tape.backward}; the resamplers run once and keep their
     * activations (diffusers recomputes only resnets and transformer blocks).
     */
    public NDArray run(
            ParameterStore ps,
            NDArray sample,
            NDArray timesteps,
            NDArray context,
            boolean training,
            Map<String, NDArray> intermediates,
            GradientCheckpoints tape) {
        Map<String, NDArray> hooks = intermediates == null ? new LinkedHashMap<>() : intermediates;
        NDArray x = stepInput(ps, sample);
        NDArray ctx = stepInput(ps, context);
        long batch = x.getShape().get(0);
        NDArray t = stepInput(ps, timesteps).toType(DataType.FLOAT32, false);
        if (t.getShape().dimension() == 0 || t.getShape().size() == 1) {
            t = t.reshape(1).broadcast(new Shape(batch));
        }
        NDArray tProj = timestepEmbedding(t, config.blockOutChannels().get(0));
        hooks.put("time_proj", tProj);
        NDArray temb = call(timeEmbedding, ps, tProj, training);
        hooks.put("time_embedding", temb);
        if (addEmbedding != null) {
            temb = temb.add(addEmbedding.run(ps, ctx, training));
        }
        NDArray h = call(convIn, ps, x, training);
        hooks.put("conv_in", h);
        Deque<NDArray> skips = new ArrayDeque<>();
        skips.add(h);
        List<DownBlock2D> downs = downBlocks.items();
        for (int i = 0; i < downs.size(); i++) {
            DownBlock2D.Output o = downs.get(i).run(ps, h, temb, ctx, training, tape);
            h = o.hidden();
            skips.addAll(o.skips());
            hooks.put("down_blocks." + i, h);
        }
        h = midBlock.run(ps, h, temb, ctx, training, tape);
        hooks.put("mid_block", h);
        List<UpBlock2D> ups = upBlocks.items();
        for (int i = 0; i < ups.size(); i++) {
            h = ups.get(i).run(ps, h, skips, temb, ctx, training, tape);
            hooks.put("up_blocks." + i, h);
        }
        h = call(convNormOut, ps, h, training);
        hooks.put("conv_norm_out", h);
        return call(convOut, ps, FusedOps.silu(h), training);
    }

    /**
     * diffusers' {@code get_timestep_embedding} with scale 1 and max period 10⁴: [cos | sin] when
     * {@code flip_sin_to_cos}, else [sin | cos], of t·exp(−ln(10⁴)·k / (half − freq_shift)).
     */
    NDArray timestepEmbedding(NDArray t, int dim) {
        int half = dim / 2;
        NDArray k = t.getManager().arange(0f, (float) half, 1f, DataType.FLOAT32);
        NDArray freqs =
                k.mul((float) -Math.log(MAX_PERIOD)).div((float) (half - config.freqShift())).exp();
        NDArray args = t.reshape(-1, 1).mul(freqs.reshape(1, half));
        NDArray sin = args.sin();
        NDArray cos = args.cos();
        NDArray emb = config.flipSinToCos() ? cos.concat(sin, 1) : sin.concat(cos, 1);
        if (dim % 2 == 1) {
            emb = emb.concat(t.getManager().zeros(new Shape(emb.getShape().get(0), 1)), 1);
        }
        return emb;
    }

    /** Inputs: sample, timesteps, text states; output: the predicted noise. */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(run(ps, inputs.get(0), inputs.get(1), inputs.get(2), training, null));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), config.outChannels(), s.get(2), s.get(3))};
    }

    /** diffusers' {@code TimestepEmbedding}: {@code linear_1}, SiLU, {@code linear_2}. */
    static final class TimestepEmbedding extends HfBlock {

        private final Linear linear1;
        private final Linear linear2;

        TimestepEmbedding(long in, long dim) {
            linear1 = child("linear_1", new Linear(in, dim, true, INIT_STD));
            linear2 = child("linear_2", new Linear(dim, dim, true, INIT_STD));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
            NDArray h = FusedOps.silu(call(linear1, ps, inputs.singletonOrThrow(), training));
            return new NDList(call(linear2, ps, h, training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return linear2.getOutputShapes(linear1.getOutputShapes(inputShapes));
        }
    }
}
