package image2music.bench.bf16;

import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serves timed calls of SD-1.5's ResNet and transformer blocks on one engine to {@code
 * peer/interleave.py}, which alternates this process with the other engines' so that all run
 * interleaved in one run although DJL's and JavaCPP's libtorch cannot share a JVM (see {@link
 * EngineCoexistence}).
 *
 * <p>Protocol: prints {@code ready} once the blocks are loaded; then, for each line read from
 * stdin, calls every variant once, prints one JSON line per variant ({@code block}, {@code
 * variant}, {@code ms}; on the first call also {@code max_abs} and {@code rel_l2}, the output's
 * difference from the peer's F32 reference with the same weights and inputs) and then {@code end}.
 * Exits at end of input.
 *
 * <p>Usage: {@code BlockBench djl|javacpp DIR [THREADS]}, DIR as written by {@code peer_blocks.py
 * make}.
 */
public final class BlockBench {

    private BlockBench() {}

    /** Our blocks, then TorchScript traces of the peer's where {@code dir} has them. */
    private static List<BlockVariant> djlVariants(Path dir, Map<String, HostTensor> io, int threads)
            throws Exception {
        List<BlockVariant> variants = new ArrayList<>(DjlF32Variants.create(dir, io, threads));
        variants.addAll(DjlTorchScriptVariants.create(dir, io));
        return variants;
    }

    /** Serves calls until stdin closes; see the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BlockBench djl|javacpp DIR [THREADS]");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Map<String, HostTensor> io = HostTensor.readAll(dir.resolve("io.safetensors"));
        List<BlockVariant> variants =
                switch (args[0]) {
                    case "djl" -> djlVariants(dir, io, threads);
                    case "javacpp" -> LibtorchVariants.create(dir, io, threads);
                    default ->
                            throw new IllegalArgumentException(
                                    "engine must be djl or javacpp, got " + args[0]);
                };
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("ready");
        boolean first = true;
        while (in.readLine() != null) {
            for (BlockVariant v : variants) {
                long t0 = System.nanoTime();
                // Only the first call copies its output (for the comparison); the coordinator
                // counts it as warm-up.
                HostTensor output = v.call().run(first);
                double ms = (System.nanoTime() - t0) / 1e6;
                JsonObject line = new JsonObject();
                line.addProperty("block", v.block());
                line.addProperty("variant", v.name());
                line.addProperty("ms", ms);
                if (first) {
                    HostTensor reference = io.get("ref_" + v.block());
                    line.addProperty("max_abs", output.maxAbsDifference(reference));
                    line.addProperty("rel_l2", output.relativeL2Difference(reference));
                }
                out.println(line);
            }
            out.println("end");
            first = false;
        }
    }
}
