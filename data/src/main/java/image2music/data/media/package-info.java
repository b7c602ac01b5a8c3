/**
 * Media roots and what goes into them: image validation and conversion ({@link
 * image2music.data.media.ImageNormalizer}), the DCT perceptual hash ({@link
 * image2music.data.media.PerceptualHash}), audio checks, and the collections that store files with
 * their manifest lines and drop duplicates ({@link image2music.data.media.MediaLibrary}, {@link
 * image2music.data.media.ImageCollection}, {@link image2music.data.media.AudioCollection}).
 */
package image2music.data.media;
