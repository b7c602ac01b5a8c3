package image2music.app.web;

import image2music.pipeline.live.EndlessPiece;

/**
 * A piece the server keeps going: its {@link EndlessPiece}, the last job that finished a stretch of
 * it (the only one a continuation may follow), and whether a job is making a stretch now.
 */
final class Piece {

    private final String id;
    private final EndlessPiece music;
    private String latest;
    private boolean busy;
    private String ended;
    private boolean closed;

    Piece(String id, EndlessPiece music) {
        this.id = id;
        this.music = music;
    }

    String id() {
        return id;
    }

    EndlessPiece music() {
        return music;
    }

    /**
     * Reserves the piece for the job continuing {@code after}.
     *
     * @throws ApiException 409 unless {@code after} is the latest finished stretch and nothing is
     *     being made
     */
    synchronized void reserve(String after) {
        if (ended != null) {
            throw new ApiException(409, "the piece has ended (" + ended + "); start a new one");
        }
        if (busy) {
            throw new ApiException(409, "the piece is being continued already");
        }
        if (after != null && !after.equals(latest)) {
            throw new ApiException(
                    409, "job " + after + " is not the piece's latest stretch; continue " + latest);
        }
        busy = true;
    }

    /** The reserved job finished its stretch. */
    synchronized void done(String job) {
        latest = job;
        busy = false;
    }

    /**
     * The reserved job ended without finishing; if it had made part of its stretch, the piece
     * cannot go on seamlessly and ends.
     */
    synchronized void abandoned(boolean partial, String why) {
        busy = false;
        if (partial || latest == null) {
            ended = why;
        }
    }

    synchronized boolean busy() {
        return busy;
    }

    synchronized String latest() {
        return latest;
    }

    /** Ends the piece and frees its tensors. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ended == null) {
            ended = "expired";
        }
        music.close();
    }
}
