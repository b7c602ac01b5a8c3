package image2music.bench.bf16;

import image2music.models.nn.SafetensorsDType;
import image2music.models.nn.SafetensorsFile;
import image2music.models.nn.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An F32 tensor in the Java heap: the one form both engines take in, since DJL's and JavaCPP's
 * libtorch cannot share a process (see {@link EngineCoexistence}).
 *
 * @param data the values, row-major
 * @param shape the dimensions
 */
public record HostTensor(float[] data, long[] shape) {

    /**
     * Reads every tensor of an all-F32 safetensors file. The header goes through our {@link
     * SafetensorsFile} parser, which needs no native engine; the data is read here.
     */
    public static Map<String, HostTensor> readAll(Path path) throws IOException {
        Map<String, TensorInfo> infos;
        try (SafetensorsFile f = SafetensorsFile.open(path)) {
            infos = f.tensors();
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long dataStart = 8 + len.getLong(0);
            for (TensorInfo info : infos.values()) {
                if (info.dtype() != SafetensorsDType.F32) {
                    throw new IllegalArgumentException(
                            path + ": " + info.name() + " is " + info.dtype() + ", expected F32");
                }
                ByteBuffer bytes =
                        ch.map(
                                        FileChannel.MapMode.READ_ONLY,
                                        dataStart + info.begin(),
                                        info.byteCount())
                                .order(ByteOrder.LITTLE_ENDIAN);
                float[] data = new float[(int) (info.byteCount() / Float.BYTES)];
                bytes.asFloatBuffer().get(data);
                out.put(info.name(), new HostTensor(data, info.shape().getShape()));
            }
        }
        return out;
    }

    /** Largest absolute difference from {@code reference}. */
    public double maxAbsDifference(HostTensor reference) {
        checkSameSize(reference);
        double max = 0;
        for (int i = 0; i < data.length; i++) {
            max = Math.max(max, Math.abs(data[i] - reference.data[i]));
        }
        return max;
    }

    /** ‖this − reference‖₂ / ‖reference‖₂. */
    public double relativeL2Difference(HostTensor reference) {
        checkSameSize(reference);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < data.length; i++) {
            double d = data[i] - reference.data[i];
            diff += d * d;
            norm += (double) reference.data[i] * reference.data[i];
        }
        return Math.sqrt(diff / norm);
    }

    private void checkSameSize(HostTensor reference) {
        if (reference.data.length != data.length) {
            throw new IllegalArgumentException(
                    "Expected " + reference.data.length + " values, found " + data.length);
        }
    }
}
