package image2music.models.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code config.json} checked against the tensor shapes in its weights file's header (shapes
 * only, no data read) before the model it describes is built: a config that claims more layers or
 * other sizes than the weights hold fails at once, naming both files, instead of after minutes and
 * gigabytes of building (within {@link ConfigLimits}, a model can still be huge). Only what the
 * weights file has is checked; a key it lacks is left to the loader's missing-key report, and a
 * {@code .bin} file (no cheap header) is not checked here.
 */
public final class ConfigFit {

    private final Path config;
    private final Path weights;
    private final Map<String, long[]> shapes;

    private ConfigFit(Path config, Path weights, Map<String, long[]> shapes) {
        this.config = config;
        this.weights = weights;
        this.shapes = shapes;
    }

    /** Reads the header of {@code weights} (safetensors; anything else checks nothing). */
    public static ConfigFit of(Path config, Path weights) throws IOException {
        Map<String, long[]> shapes = new HashMap<>();
        if (weights.getFileName().toString().endsWith(".safetensors")) {
            try (SafetensorsFile f = SafetensorsFile.open(weights)) {
                f.tensors().forEach((k, t) -> shapes.put(k, t.shape().getShape()));
            }
        }
        return new ConfigFit(config, weights, shapes);
    }

    /**
     * The tensor named {@code key} (or ending in {@code "." + key}), when the file has it, must
     * have the shape {@code dims}, where -1 matches any size.
     *
     * @param fields the config fields that decide the shape, for the message
     */
    public ConfigFit shape(String key, String fields, long... dims) throws IOException {
        String name = shapes.containsKey(key) ? key : null;
        for (String k : shapes.keySet()) {
            if (name == null && k.endsWith("." + key)) {
                name = k;
            }
        }
        if (name == null) {
            return this;
        }
        long[] found = shapes.get(name);
        if (!matches(found, dims)) {
            throw misfit(
                    name
                            + " is "
                            + Arrays.toString(found)
                            + " where "
                            + fields
                            + " make "
                            + Arrays.toString(dims).replace("-1", "*"));
        }
        return this;
    }

    /**
     * The tensors named {@code <prefix>.<i>.…} must number {@code i} from 0 to {@code expected -
     * 1}, when the file has any.
     *
     * @param field the config field that says how many, for the message
     */
    public ConfigFit count(String prefix, String field, int expected) throws IOException {
        Pattern p = Pattern.compile("(?:^|\\.)" + Pattern.quote(prefix) + "\\.(\\d+)\\.");
        TreeSet<Long> found = new TreeSet<>();
        for (String k : shapes.keySet()) {
            Matcher m = p.matcher(k);
            if (m.find() && m.group(1).length() < 10) {
                found.add(Long.parseLong(m.group(1)));
            }
        }
        if (!found.isEmpty() && (found.size() != expected || found.last() != expected - 1)) {
            throw misfit(
                    field
                            + " = "
                            + expected
                            + " but the weights hold "
                            + found.size()
                            + " ("
                            + prefix
                            + ".0 to "
                            + prefix
                            + "."
                            + found.last()
                            + ")");
        }
        return this;
    }

    private static boolean matches(long[] found, long[] dims) {
        if (found.length != dims.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != -1 && dims[i] != found[i]) {
                return false;
            }
        }
        return true;
    }

    private IOException misfit(String problem) {
        return new IOException(weights + " does not fit " + config + ": " + problem);
    }
}
