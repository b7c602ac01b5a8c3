package image2music.bench.bf16;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * SD-1.5's ResNet and transformer blocks written as libtorch functional calls through JavaCPP, with
 * the same HF keys and arithmetic as our DJL {@code ResnetBlock2D} and {@code Transformer2DModel}.
 * Every op runs in the weights' element type, so bf16 weights and inputs give a pure-bf16 forward
 * (libtorch's CPU norms and softmax accumulate in F32 internally), as PyTorch's {@code
 * module.to(torch.bfloat16)}.
 */
final class LibtorchBlocks {

    private static final long[] ONE = {1, 1};
    private static final long[] SAME_3X3 = {1, 1};
    private static final long[] NO_PADDING = {0, 0};
    private static final int GROUPS = 32;
    private static final double RESNET_EPS = 1e-5;
    private static final double TRANSFORMER_NORM_EPS = 1e-6;
    private static final double LAYER_NORM_EPS = 1e-5;

    private LibtorchBlocks() {}

    /** diffusers' {@code ResnetBlock2D} with equal in and out channels (no shortcut conv). */
    static Tensor resnet(LibtorchWeights w, Tensor x, Tensor temb) {
        Tensor h = torch.silu(groupNorm(w, "norm1", x, RESNET_EPS));
        h = conv(w, "conv1", h, SAME_3X3);
        Tensor t = linear(w, "time_emb_proj", torch.silu(temb));
        h = h.add(t.reshape(t.size(0), t.size(1), 1, 1));
        h = torch.silu(groupNorm(w, "norm2", h, RESNET_EPS));
        h = conv(w, "conv2", h, SAME_3X3);
        return x.add(h);
    }

    /**
     * diffusers' {@code Transformer2DModel} with one {@code BasicTransformerBlock}, 1×1-conv
     * projections (SD-1.5's {@code use_linear_projection=false}) and fused scaled-dot-product
     * attention, which DJL 0.33 does not expose.
     */
    static Tensor transformer(LibtorchWeights w, Tensor x, Tensor context, int heads) {
        long b = x.size(0);
        long c = x.size(1);
        long height = x.size(2);
        long width = x.size(3);
        Tensor h = conv(w, "proj_in", groupNorm(w, "norm", x, TRANSFORMER_NORM_EPS), NO_PADDING);
        h = h.permute(0, 2, 3, 1).reshape(b, height * width, c);
        String p = "transformer_blocks.0.";
        h = attention(w, p + "attn1.", layerNorm(w, p + "norm1", h), null, heads).add(h);
        h = attention(w, p + "attn2.", layerNorm(w, p + "norm2", h), context, heads).add(h);
        h = feedForward(w, p + "ff.net.", layerNorm(w, p + "norm3", h)).add(h);
        h = h.reshape(b, height, width, c).permute(0, 3, 1, 2);
        return conv(w, "proj_out", h, NO_PADDING).add(x);
    }

    private static Tensor attention(
            LibtorchWeights w, String prefix, Tensor x, Tensor context, int heads) {
        Tensor kv = context == null ? x : context;
        Tensor q = splitHeads(linear(w, prefix + "to_q", x), heads);
        Tensor k = splitHeads(linear(w, prefix + "to_k", kv), heads);
        Tensor v = splitHeads(linear(w, prefix + "to_v", kv), heads);
        Tensor o =
                torch.scaled_dot_product_attention(
                        q, k, v, new TensorOptional(), 0.0, false, new DoubleOptional(), false);
        o = o.transpose(1, 2).reshape(x.size(0), x.size(1), -1);
        return linear(w, prefix + "to_out.0", o);
    }

    /** [B, L, heads·d] to [B, heads, L, d]. */
    private static Tensor splitHeads(Tensor t, int heads) {
        return t.reshape(t.size(0), t.size(1), heads, -1).transpose(1, 2);
    }

    /** GEGLU ({@code net.0.proj}: value and gate halves) then {@code net.2}. */
    private static Tensor feedForward(LibtorchWeights w, String prefix, Tensor x) {
        TensorVector halves = linear(w, prefix + "0.proj", x).chunk(2, -1);
        Tensor gated = halves.get(0).mul(torch.gelu(halves.get(1)));
        return linear(w, prefix + "2", gated);
    }

    private static Tensor groupNorm(LibtorchWeights w, String key, Tensor x, double eps) {
        return torch.group_norm(
                x, GROUPS, w.optional(key + ".weight"), w.optional(key + ".bias"), eps, true);
    }

    private static Tensor layerNorm(LibtorchWeights w, String key, Tensor x) {
        return torch.layer_norm(
                x,
                new long[] {x.size(-1)},
                w.optional(key + ".weight"),
                w.optional(key + ".bias"),
                LAYER_NORM_EPS,
                true);
    }

    private static Tensor linear(LibtorchWeights w, String key, Tensor x) {
        return torch.linear(x, w.get(key + ".weight"), w.optional(key + ".bias"));
    }

    private static Tensor conv(LibtorchWeights w, String key, Tensor x, long[] padding) {
        return torch.conv2d(
                x, w.get(key + ".weight"), w.optional(key + ".bias"), ONE, padding, ONE, 1);
    }
}
