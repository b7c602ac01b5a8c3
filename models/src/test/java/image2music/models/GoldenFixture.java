package image2music.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import image2music.models.nn.Engines;
import image2music.models.nn.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One reference fixture folder ({@code fixtures/hf/<name>}): its {@code inputs.safetensors} and,
 * where present, {@code outputs.safetensors}, read into a manager the test's model shares; closing
 * the fixture frees them all.
 */
public final class GoldenFixture implements AutoCloseable {

    /** Reads a model from the fixture folder into the fixture's manager. */
    @FunctionalInterface
    public interface Loader<M> {
        M load(Path dir, NDManager manager) throws IOException;
    }

    private final Path dir;
    private final NDManager manager;
    private final Map<String, NDArray> inputs;
    private final Map<String, NDArray> outputs;

    private GoldenFixture(Path dir, NDManager manager) throws IOException {
        this.dir = dir;
        this.manager = manager;
        this.inputs = SafetensorsFile.read(dir.resolve("inputs.safetensors"), manager);
        Path out = dir.resolve("outputs.safetensors");
        this.outputs = Files.exists(out) ? SafetensorsFile.read(out, manager) : Map.of();
    }

    /** Opens {@code fixtures/<relative>} (e.g. {@code hf/vit_tiny}). */
    public static GoldenFixture open(String relative) throws IOException {
        NDManager manager = Engines.engine().newBaseManager(Device.cpu());
        try {
            return new GoldenFixture(Fixtures.path(relative), manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The fixture's model, loaded with {@code loader}. */
    public <M> M load(Loader<M> loader) throws IOException {
        return loader.load(dir, manager);
    }

    public Path dir() {
        return dir;
    }

    public NDManager manager() {
        return manager;
    }

    public NDArray input(String name) {
        return inputs.get(name);
    }

    public NDArray output(String name) {
        return outputs.get(name);
    }

    public Map<String, NDArray> inputs() {
        return inputs;
    }

    public Map<String, NDArray> outputs() {
        return outputs;
    }

    @Override
    public void close() {
        manager.close();
    }
}
