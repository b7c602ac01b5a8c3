package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * HF state-dict keys for a DJL block tree. DJL registers child {@code name} as {@code "%02d" +
 * name} (its 1-based position) and joins paths with {@code _}; we strip exactly that prefix and
 * join with {@code .}, so a child registered as {@code "layernorm_before"} gives the HF key segment
 * {@code layernorm_before} (never split on {@code _}). Order = PyTorch's {@code state_dict()}: a
 * block's own parameters, then its children in registration order.
 */
public final class StateDict {

    private StateDict() {}

    /** Every parameter of {@code root} under its dotted HF key, in state-dict order. */
    public static Map<String, Parameter> parameters(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(root, "", out);
        return Collections.unmodifiableMap(out);
    }

    /**
     * Every block under {@code root} (root itself as {@code ""}) under its dotted HF module path
     * ({@code down_blocks.0.attentions.0}), in state-dict order.
     */
    public static Map<String, Block> blocks(Block root) {
        Map<String, Block> out = new LinkedHashMap<>();
        walk(
                root,
                "",
                (prefix, block) ->
                        out.put(
                                prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1),
                                block));
        return Collections.unmodifiableMap(out);
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        walk(
                block,
                prefix,
                (p, b) -> {
                    for (Pair<String, Parameter> param : b.getDirectParameters()) {
                        out.put(p + param.getKey(), param.getValue());
                    }
                });
    }

    /** Visits {@code block} and then its children, depth first, each with its key prefix. */
    private static void walk(Block block, String prefix, BiConsumer<String, Block> visit) {
        visit.accept(prefix, block);
        List<Pair<String, Block>> children = new ArrayList<>();
        block.getChildren().forEach(children::add);
        for (int i = 0; i < children.size(); i++) {
            String djlName = children.get(i).getKey();
            String position = String.format("%02d", i + 1);
            if (!djlName.startsWith(position)) {
                throw new IllegalStateException(
                        "Child '"
                                + djlName
                                + "' of "
                                + block.getClass().getSimpleName()
                                + " lacks DJL's position prefix "
                                + position);
            }
            walk(
                    children.get(i).getValue(),
                    prefix + djlName.substring(position.length()) + ".",
                    visit);
        }
    }

    /** The current parameter values under their HF keys (for saving), in state-dict order. */
    public static Map<String, NDArray> arrays(Block root) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        parameters(root)
                .forEach(
                        (k, p) -> {
                            if (!p.isInitialized()) {
                                throw new IllegalStateException(
                                        "Parameter " + k + " is not initialized");
                            }
                            out.put(k, p.getArray());
                        });
        return out;
    }

    /** Initialises every parameter that has no value yet with its own initializer. */
    public static void initialize(Block root, NDManager manager, DataType type) {
        parameters(root)
                .forEach(
                        (k, p) -> {
                            if (!p.isInitialized()) {
                                p.initialize(manager, type);
                            }
                        });
    }

    /** Number of scalars in all parameters (every parameter must have its shape). */
    public static long parameterCount(Block root) {
        long n = 0;
        for (Parameter p : parameters(root).values()) {
            n += p.getShape().size();
        }
        return n;
    }

    /**
     * Copies {@code weights} (HF keys) into the parameters of {@code root}, converting to {@code
     * type} on {@code manager}'s device. All keys must match by name and shape except where {@code
     * rules} allow; otherwise nothing is loaded and one error lists every missing, unexpected and
     * mis-shaped key.
     *
     * @param source named in error messages (e.g. the weights file)
     * @return the keys of {@code root} that were left to their initializer (allowed missing)
     */
    public static List<String> load(
            Block root,
            Map<String, NDArray> weights,
            LoadRules rules,
            NDManager manager,
            DataType type,
            String source) {
        Map<String, Parameter> params = parameters(root);
        Map<String, NDArray> renamed = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : weights.entrySet()) {
            String key = rules.rename().apply(e.getKey());
            if (params.containsKey(key)) {
                renamed.put(key, e.getValue());
            } else if (!rules.mayBeUnused().test(key)) {
                unexpected.add(e.getKey());
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray w = renamed.get(e.getKey());
            if (w == null) {
                (rules.mayBeMissing().test(e.getKey()) ? leftOut : missing).add(e.getKey());
            } else if (!w.getShape().equals(e.getValue().getShape())) {
                misShaped.add(
                        e.getKey()
                                + " (file "
                                + w.getShape()
                                + ", model "
                                + e.getValue().getShape()
                                + ")");
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misShaped.isEmpty()) {
            StringBuilder msg =
                    new StringBuilder(source)
                            .append(": weights do not fit ")
                            .append(root.getClass().getSimpleName());
            appendList(msg, "missing", missing);
            appendList(msg, "unexpected", unexpected);
            appendList(msg, "mis-shaped", misShaped);
            throw new IllegalArgumentException(msg.toString());
        }
        for (Map.Entry<String, NDArray> e : renamed.entrySet()) {
            assign(params.get(e.getKey()), e.getValue(), manager, type);
        }
        initialize(root, manager, type);
        return leftOut;
    }

    /** Replaces the value of {@code p} by a copy of {@code value} of {@code type} on {@code m}. */
    public static void assign(Parameter p, NDArray value, NDManager m, DataType type) {
        // An explicit clone: libtorch's to(device, dtype) returns the same tensor when nothing
        // changes, whatever DJL's copy flag says, and a tensor made from a loader's Java buffer
        // would then be freed by the garbage collector under the parameter.
        NDArray v = value.toDevice(m.getDevice(), false).toType(type, false).duplicate();
        v.attach(m);
        Initializer original = p.getInitializer();
        p.close();
        p.setInitializer((manager, shape, dataType) -> v);
        p.initialize(m, type);
        p.setInitializer(original);
    }

    private static void appendList(StringBuilder msg, String what, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        msg.append("; ").append(keys.size()).append(' ').append(what).append(": ");
        int shown = Math.min(keys.size(), 8);
        msg.append(String.join(", ", keys.subList(0, shown)));
        if (keys.size() > shown) {
            msg.append(", ... and ").append(keys.size() - shown).append(" more");
        }
    }
}
