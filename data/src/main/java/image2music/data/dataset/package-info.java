/**
 * Labelled images as training data: {@link image2music.data.dataset.ImageDataset} over a media
 * manifest or label folders, with seeded, composable augmentation ({@link
 * image2music.data.dataset.ImageTransforms}).
 */
package image2music.data.dataset;
