/**
 * Music longer than one generated clip, and restyling of existing music of any length: clips laid
 * out on an {@link image2music.audio.longform.ClipPlan}, each after the first outpainted from the
 * previous clip's latents, joined with a cross-fade into one spectrogram ({@link
 * image2music.models.diffusion.longform.LongformGenerator}).
 */
package image2music.models.diffusion.longform;
