package image2music.pipeline;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * What a use case wrote: one entry per result ({@code X.wav} with its {@code X.png} and {@code
 * X.json}), in order; for an interpolation the clips it made (not those kept from an earlier run),
 * then the joined piece.
 *
 * @param outputs the results
 */
public record GenerationResult(List<Output> outputs) {

    public GenerationResult {
        outputs = List.copyOf(outputs);
    }

    /**
     * One written result.
     *
     * @param wav the WAV; the PNG and JSON lie beside it
     * @param seconds the audio's duration
     * @param sidecar what its JSON holds
     */
    public record Output(Path wav, double seconds, JsonObject sidecar) {

        public Output {
            sidecar = sidecar.deepCopy();
        }

        /** The sidecar, a copy. */
        @Override
        public JsonObject sidecar() {
            return sidecar.deepCopy();
        }
    }

    /** The first (for one clip: the only) result's WAV. */
    public Path wav() {
        return outputs.get(0).wav();
    }
}
