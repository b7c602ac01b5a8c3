package image2music.bench.bf16;

/**
 * One timed way of running one block.
 *
 * @param block {@code resnet} or {@code transformer}
 * @param name engine and precision, e.g. {@code javacpp-bf16}
 * @param call runs the block once; returns its output as F32 when asked to, else null, so that
 *     timed calls do not pay for the copy
 */
record BlockVariant(String block, String name, Call call) {

    /** A forward pass of the block. */
    @FunctionalInterface
    interface Call {
        HostTensor run(boolean copyOutput);
    }
}
