/**
 * The inference pipeline as a Java API: a prompt to music ({@link
 * image2music.pipeline.TextToMusic}: one clip, or a long piece clip by clip, inverted to audio) and
 * a picture to music ({@link image2music.pipeline.ImageToMusic}: ViT mood labels, their caption as
 * the prompt, then text to music). The CLI verbs and the web app call these.
 */
package image2music.pipeline;
