package image2music.models.nn;

import ai.djl.ndarray.types.Shape;

/**
 * One tensor's entry in a safetensors header.
 *
 * @param name the state-dict key
 * @param dtype the stored element type
 * @param shape the tensor shape
 * @param begin byte offset of the data, relative to the end of the header
 * @param end byte offset one past the data, relative to the end of the header
 */
public record TensorInfo(String name, SafetensorsDType dtype, Shape shape, long begin, long end) {

    /** Number of bytes of data. */
    public long byteCount() {
        return end - begin;
    }
}
