/**
 * Long-form music from fixed-width clips: the clip layout ({@link
 * image2music.audio.longform.ClipPlan}), joining clip spectrograms with a cross-fade so the piece
 * is inverted once ({@link image2music.audio.longform.SpectrogramStitcher}), and the measures that
 * check the result has no seams and is not a loop ({@link image2music.audio.longform.SeamMetrics}).
 */
package image2music.audio.longform;
