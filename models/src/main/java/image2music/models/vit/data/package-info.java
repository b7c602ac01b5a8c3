/**
 * Labelled images as training data: {@link image2music.models.vit.data.ImageDataset} over a media
 * manifest or label folders, with seeded, composable augmentation ({@link
 * image2music.models.vit.data.ImageTransforms}).
 */
package image2music.models.vit.data;
