package image2music.audio.io;

/**
 * What a media file holds, read from its headers without decoding it all.
 *
 * @param durationSeconds the audio stream's duration, or NaN when the container does not say
 * @param sampleRate native sample rate in Hz
 * @param channels native channel count
 * @param codec FFmpeg's short codec name ({@code mp3}, {@code aac}, {@code opus}, {@code
 *     pcm_s16le}, ...)
 */
public record AudioInfo(double durationSeconds, int sampleRate, int channels, String codec) {}
