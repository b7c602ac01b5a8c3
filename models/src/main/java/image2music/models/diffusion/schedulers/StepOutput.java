package image2music.models.diffusion.schedulers;

import ai.djl.ndarray.NDArray;

/**
 * One sampling step's result, in the sample's manager.
 *
 * @param prevSample x at the previous (less noisy) timestep
 * @param predOriginalSample the model's estimate of x0 at this step; null where the algorithm
 *     (PNDM) does not form one
 */
public record StepOutput(NDArray prevSample, NDArray predOriginalSample) {}
