package image2music.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A component's weights file as HF folders hold it: safetensors when present, else a PyTorch {@code
 * .bin} (zip + pickle, read by {@link TorchBinFile}) as many published checkpoints ship.
 */
public final class StateDictFiles {

    private StateDictFiles() {}

    /**
     * The weights file in {@code dir}: {@code safetensorsName} if it exists, else {@code binName}.
     *
     * @throws NoSuchFileException naming both when neither exists
     * @throws IOException naming the file when one exists but is a folder or device
     */
    public static Path find(Path dir, String safetensorsName, String binName) throws IOException {
        Path st = dir.resolve(safetensorsName);
        if (Files.isRegularFile(st)) {
            return st;
        }
        Path bin = dir.resolve(binName);
        if (Files.isRegularFile(bin)) {
            return bin;
        }
        for (Path p : new Path[] {st, bin}) {
            if (Files.exists(p)) {
                throw new IOException(p + ": not a regular file (a weights file was expected)");
            }
        }
        throw new NoSuchFileException(
                st.toString(), null, "missing weights (neither it nor " + binName + " exists)");
    }

    /** Reads every tensor of {@code file} (safetensors, or a {@code .bin} torch.save zip). */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        if (file.getFileName().toString().endsWith(".bin")) {
            return TorchBinFile.read(file, manager);
        }
        return SafetensorsFile.read(file, manager);
    }
}
