package image2music.bench.bf16;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import image2music.models.nn.Engines;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Checks whether DJL's libtorch (2.5.1) and JavaCPP's (2.10) run side by side in one JVM: loads
 * one, multiplies two matrices on it, loads the other, multiplies on it, then on the first again,
 * and prints the libtorch each one reports. Both ship {@code libc10.so} and {@code libtorch_cpu.so}
 * under the same names, so the second may bind to the first one's symbols.
 *
 * <p>Usage: {@code EngineCoexistence djl-first|javacpp-first}.
 */
public final class EngineCoexistence {

    private EngineCoexistence() {}

    /** Runs the check in the order named by {@code args[0]}. */
    public static void main(String[] args) {
        boolean djlFirst = args.length == 0 || args[0].equals("djl-first");
        if (djlFirst) {
            System.out.println("DJL:     " + djlProduct());
            System.out.println("JavaCPP: " + javacppProduct());
        } else {
            System.out.println("JavaCPP: " + javacppProduct());
            System.out.println("DJL:     " + djlProduct());
        }
        System.out.println("DJL again:     " + djlProduct());
        System.out.println("JavaCPP again: " + javacppProduct());
        System.out.println("both engines ran in one JVM");
    }

    /** The sum of a 256×256 all-ones product on DJL (expect 256³) and DJL's libtorch version. */
    private static String djlProduct() {
        Engines.configure(new Engines.Settings(2, false, false));
        try (NDManager m = Engines.newManager()) {
            NDArray a = m.ones(new ai.djl.ndarray.types.Shape(256, 256));
            float sum = a.matMul(a).sum().getFloat();
            return sum + " (libtorch " + Engines.engine().getVersion() + ")";
        }
    }

    /** The same product on JavaCPP's libtorch, in bf16 to show the type is reachable there. */
    private static String javacppProduct() {
        torch.set_num_threads(2);
        Tensor a = torch.ones(256, 256).to(torch.ScalarType.BFloat16);
        float sum = a.matmul(a).sum().item_float();
        return sum
                + " (bf16, JavaCPP libtorch, oneDNN "
                + torch.get_mkldnn_version().getString()
                + ")";
    }
}
