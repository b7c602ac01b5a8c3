package image2music.models.diffusion.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import image2music.models.nn.Linear;
import image2music.models.nn.LoraAdapter;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.SafetensorsWriter;
import image2music.models.nn.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LoRA adapters on a model's attention projections, and their file: diffusers' {@code
 * pytorch_lora_weights.safetensors}, which {@code StableDiffusionPipeline.load_lora_weights} reads.
 *
 * <p>Which layers: in a UNet, every {@code to_q}, {@code to_k}, {@code to_v} and {@code to_out.0}
 * (what diffusers' {@code train_text_to_image_lora.py} targets); in a CLIP text encoder, {@code
 * q_proj}, {@code k_proj}, {@code v_proj} and {@code out_proj}.
 *
 * <p>File keys: {@code <component>.<module path>.lora.down.weight} / {@code .lora.up.weight} for
 * the UNet's projections and {@code .lora_linear_layer.down/up.weight} for the text encoder's (the
 * names {@code convert_state_dict_to_diffusers} gives); reading also takes peft's {@code
 * lora_A}/{@code lora_B}. The file stores no alpha, so diffusers applies {@code B A} at scale 1:
 * the saved up weights carry the factor {@code alpha / rank}.
 */
public final class LoraLayers implements AutoCloseable {

    /** diffusers' file name for LoRA weights. */
    public static final String FILE = "pytorch_lora_weights.safetensors";

    /** The parts of a pipeline that take adapters, with their key prefix and target layers. */
    public enum Component {
        UNET("unet", List.of("to_q", "to_k", "to_v", "to_out.0"), ".lora"),
        TEXT_ENCODER(
                "text_encoder",
                List.of("q_proj", "k_proj", "v_proj", "out_proj"),
                ".lora_linear_layer");

        private final String prefix;
        private final List<String> targets;
        private final String infix;

        Component(String prefix, List<String> targets, String infix) {
            this.prefix = prefix;
            this.targets = targets;
            this.infix = infix;
        }

        public String prefix() {
            return prefix;
        }

        boolean targets(String path) {
            for (String t : targets) {
                if (path.equals(t) || path.endsWith("." + t)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Component component;
    private final Map<String, Linear> layers;

    private LoraLayers(Component component, Map<String, Linear> layers) {
        this.component = component;
        this.layers = layers;
    }

    /** The layers of {@code model} that {@code component} puts adapters on, by module path. */
    static Map<String, Linear> targets(Block model, Component component) {
        Map<String, Linear> out = new LinkedHashMap<>();
        for (Map.Entry<String, Block> e : StateDict.blocks(model).entrySet()) {
            if (e.getValue() instanceof Linear l && component.targets(e.getKey())) {
                out.put(e.getKey(), l);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(
                    model.getClass().getSimpleName()
                            + " has no "
                            + component.targets
                            + " layers to adapt");
        }
        return out;
    }

    /** Fresh adapters (zero update) of {@code rank} and {@code alpha} on {@code model}. */
    public static LoraLayers attach(
            Block model, Component component, int rank, float alpha, NDManager manager) {
        Map<String, Linear> layers = targets(model, component);
        for (Linear l : layers.values()) {
            if (l.lora() != null) {
                throw new IllegalStateException("the model already carries LoRA adapters");
            }
        }
        for (Linear l : layers.values()) {
            l.setLora(LoraAdapter.fresh(l, rank, alpha, manager));
        }
        return new LoraLayers(component, layers);
    }

    /**
     * Reads {@code component}'s adapters from {@code file} onto {@code model}, applied at {@code
     * scale} (1 = as trained). Keys of other components are left to their own call.
     *
     * @throws IOException when the file cannot be read, holds no adapters for the component, or
     *     names a layer the model lacks or a shape that does not fit (the message names the key)
     */
    public static LoraLayers load(
            Path file, Block model, Component component, float scale, NDManager manager)
            throws IOException {
        Map<String, Linear> targets = targets(model, component);
        Map<String, NDArray[]> pairs = new LinkedHashMap<>();
        try (NDManager reading = manager.newSubManager()) {
            Map<String, NDArray> tensors = SafetensorsFile.read(file, reading);
            String head = component.prefix + ".";
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                String key = e.getKey();
                if (!key.startsWith(head)) {
                    continue;
                }
                String[] split = split(key.substring(head.length()));
                if (split == null) {
                    throw new IOException(file + ": '" + key + "' is not a LoRA weight we read");
                }
                if (!targets.containsKey(split[0])) {
                    throw new IOException(
                            file + ": '" + key + "' names no adaptable layer of the model");
                }
                pairs.computeIfAbsent(split[0], k -> new NDArray[2])[
                                split[1].equals("down") ? 0 : 1] =
                        e.getValue();
            }
            if (pairs.isEmpty()) {
                throw new IOException(
                        file + ": no '" + head + "…' LoRA weights (wrong file or component)");
            }
            Map<String, Linear> layers = new LinkedHashMap<>();
            List<Linear> done = new ArrayList<>();
            try {
                for (Map.Entry<String, NDArray[]> p : pairs.entrySet()) {
                    NDArray[] du = p.getValue();
                    if (du[0] == null || du[1] == null) {
                        throw new IOException(
                                file + ": " + p.getKey() + " has only one of down/up weights");
                    }
                    Linear l = targets.get(p.getKey());
                    if (l.lora() != null) {
                        throw new IllegalStateException("the model already carries LoRA adapters");
                    }
                    try {
                        l.setLora(LoraAdapter.of(l, du[0], du[1], scale, manager));
                    } catch (IllegalArgumentException e) {
                        throw new IOException(file + ": " + p.getKey() + ": " + e.getMessage());
                    }
                    done.add(l);
                    layers.put(p.getKey(), l);
                }
            } catch (IOException | RuntimeException e) {
                for (Linear l : done) {
                    l.lora().close();
                    l.setLora(null);
                }
                throw e;
            }
            return new LoraLayers(component, layers);
        }
    }

    /** Whether {@code file} holds adapters for {@code component} (reads only its header). */
    public static boolean holds(Path file, Component component) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            String head = component.prefix + ".";
            return f.tensors().keySet().stream()
                    .anyMatch(k -> k.startsWith(head) && split(k) != null);
        }
    }

    /** {@code {module path, "down"|"up"}} of a LoRA key without its component prefix, or null. */
    private static String[] split(String key) {
        String[][] forms = {
            {".lora.down.weight", "down"},
            {".lora.up.weight", "up"},
            {".lora_linear_layer.down.weight", "down"},
            {".lora_linear_layer.up.weight", "up"},
            {".lora_A.weight", "down"},
            {".lora_B.weight", "up"}
        };
        for (String[] f : forms) {
            if (key.endsWith(f[0])) {
                return new String[] {key.substring(0, key.length() - f[0].length()), f[1]};
            }
        }
        return null;
    }

    /** The adapted layers by module path. */
    public Map<String, Linear> layers() {
        return Collections.unmodifiableMap(layers);
    }

    /**
     * The trainable parameters ({@code <path>.lora_A.weight}, {@code <path>.lora_B.weight}) in
     * module order: what the optimiser updates while the base weights stay frozen.
     */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Map.Entry<String, Linear> e : layers.entrySet()) {
            LoraAdapter a = adapter(e);
            out.put(e.getKey() + ".lora_A.weight", a.down());
            out.put(e.getKey() + ".lora_B.weight", a.up());
        }
        return out;
    }

    /**
     * The adapters under diffusers' keys, the scale folded into the up weights (fresh arrays in
     * {@code manager}).
     */
    public Map<String, NDArray> diffusersWeights(NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Linear> e : layers.entrySet()) {
            LoraAdapter a = adapter(e);
            String base = component.prefix + "." + e.getKey() + component.infix;
            NDArray down = a.down().getArray().duplicate();
            NDArray up = a.up().getArray().mul(a.scale());
            down.attach(manager);
            up.attach(manager);
            out.put(base + ".down.weight", down);
            out.put(base + ".up.weight", up);
        }
        return out;
    }

    /** Writes the adapters to {@code file} (atomically) in diffusers' format. */
    public void save(Path file) throws IOException {
        save(file, List.of(this));
    }

    /**
     * Writes the adapters of several components (a UNet's and a text encoder's) to one file, as
     * diffusers keeps them.
     */
    public static void save(Path file, List<LoraLayers> parts) throws IOException {
        LoraLayers first = parts.get(0);
        NDManager any =
                first.adapter(first.layers.entrySet().iterator().next())
                        .down()
                        .getArray()
                        .getManager();
        try (NDManager m = any.newSubManager()) {
            Map<String, NDArray> all = new LinkedHashMap<>();
            for (LoraLayers p : parts) {
                all.putAll(p.diffusersWeights(m));
            }
            SafetensorsWriter.write(file, all);
        }
    }

    /** Folds every adapter into its layer's weight and drops the adapters. */
    public void merge() {
        for (Linear l : layers.values()) {
            LoraAdapter a = l.lora();
            l.mergeLora();
            if (a != null) {
                a.close();
            }
        }
    }

    /** Removes the adapters, leaving the base weights as they were. */
    @Override
    public void close() {
        for (Linear l : layers.values()) {
            if (l.lora() != null) {
                l.lora().close();
                l.setLora(null);
            }
        }
    }

    private static LoraAdapter adapter(Map.Entry<String, Linear> e) {
        LoraAdapter a = e.getValue().lora();
        if (a == null) {
            throw new IllegalStateException(e.getKey() + ": its adapter was merged or removed");
        }
        return a;
    }
}
