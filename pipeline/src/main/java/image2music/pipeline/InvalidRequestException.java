package image2music.pipeline;

/**
 * A request whose settings contradict each other or the model (a length out of range, an overlap
 * not shorter than a clip, a width the model cannot take). Front ends report it as a usage error,
 * as opposed to a bad input file or a failed run; its message names the setting by its command line
 * option.
 */
public final class InvalidRequestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }
}
