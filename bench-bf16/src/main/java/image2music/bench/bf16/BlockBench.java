package image2music.bench.bf16;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times SD-1.5's ResNet and transformer blocks on one engine, the variants interleaved (one call of
 * each per repetition), and prints one JSON line per variant with every timed sample and the
 * output's difference from the peer's F32 reference (same weights and inputs). One engine per
 * process: DJL's and JavaCPP's libtorch cannot be loaded together (see {@link EngineCoexistence}),
 * so {@code bench-bf16/run.sh} alternates processes to interleave engines.
 *
 * <p>Usage: {@code BlockBench djl|javacpp DIR WARMUP REPS [THREADS]}, DIR as written by {@code
 * peer_blocks.py make}.
 */
public final class BlockBench {

    private BlockBench() {}

    /** Runs the benchmark; see the class comment for arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: BlockBench djl|javacpp DIR WARMUP REPS [THREADS]");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        if (warmup < 1) {
            // The first call copies its output for the comparison, so it is never timed.
            throw new IllegalArgumentException("WARMUP must be at least 1, got " + warmup);
        }
        Map<String, HostTensor> io = HostTensor.readAll(dir.resolve("io.safetensors"));
        List<BlockVariant> variants =
                switch (args[0]) {
                    case "djl" -> DjlF32Variants.create(dir, io, threads);
                    case "javacpp" -> LibtorchVariants.create(dir, io, threads);
                    default ->
                            throw new IllegalArgumentException(
                                    "engine must be djl or javacpp, got " + args[0]);
                };
        Map<BlockVariant, List<Double>> samples = new LinkedHashMap<>();
        Map<BlockVariant, HostTensor> outputs = new LinkedHashMap<>();
        variants.forEach(v -> samples.put(v, new ArrayList<>()));
        for (int rep = 0; rep < warmup + reps; rep++) {
            for (BlockVariant v : variants) {
                long t0 = System.nanoTime();
                HostTensor out = v.call().run(rep == 0);
                double ms = (System.nanoTime() - t0) / 1e6;
                if (rep == 0) {
                    outputs.put(v, out);
                } else if (rep >= warmup) {
                    samples.get(v).add(ms);
                }
            }
        }
        for (BlockVariant v : variants) {
            HostTensor reference = io.get("ref_" + v.block());
            JsonObject line = new JsonObject();
            line.addProperty("block", v.block());
            line.addProperty("variant", v.name());
            JsonArray ms = new JsonArray();
            samples.get(v).forEach(ms::add);
            line.add("ms", ms);
            line.addProperty("max_abs", outputs.get(v).maxAbsDifference(reference));
            line.addProperty("rel_l2", outputs.get(v).relativeL2Difference(reference));
            System.out.println(line);
        }
    }
}
