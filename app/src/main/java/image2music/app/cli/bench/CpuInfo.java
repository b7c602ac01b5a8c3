package image2music.app.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the benchmark's CPU can do for matrix products: its model and the vector and matrix units
 * libtorch's kernels use ({@code /proc/cpuinfo} on Linux). bfloat16 units (avx512_bf16, AMX) matter
 * because DJL cannot reach them (see the README's performance section).
 *
 * @param model the model name, or the architecture where unknown
 * @param units the units found among {@link #UNITS}, in that order
 */
record CpuInfo(String model, List<String> units) {

    /** The flags that decide float32, float16 and bfloat16 matrix speed, in a readable order. */
    static final List<String> UNITS =
            List.of(
                    "avx2",
                    "fma",
                    "avx512f",
                    "avx512_vnni",
                    "avx512_bf16",
                    "avx512_fp16",
                    "amx_tile",
                    "amx_bf16",
                    "amx_fp16");

    /** This machine's. */
    static CpuInfo read() {
        String model = System.getProperty("os.arch");
        Set<String> flags = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (key.equals("model name")) {
                    model = value;
                } else if (key.equals("flags")) {
                    flags.addAll(List.of(value.split("\\s+")));
                }
            }
        } catch (IOException e) {
            // not Linux: the architecture alone
        }
        return new CpuInfo(model, UNITS.stream().filter(flags::contains).toList());
    }

    /** "Intel(R) Xeon(R) Processor, 2 CPUs, units: avx2 fma avx512f …". */
    String describe() {
        return model
                + ", "
                + Runtime.getRuntime().availableProcessors()
                + " CPUs, units: "
                + (units.isEmpty() ? "none of " + UNITS : String.join(" ", units));
    }
}
