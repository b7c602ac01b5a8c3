/**
 * The application layer every front end shares (the CLI now, a web server next): one request record
 * and one service per use case ({@link image2music.pipeline.TextToMusicService}, {@link
 * image2music.pipeline.ImageToMusicService}, {@link image2music.pipeline.AudioToAudioService},
 * {@link image2music.pipeline.InterpolationService}, {@link image2music.pipeline.TaggingService}),
 * defaults as constants of the records, one result record ({@link
 * image2music.pipeline.GenerationResult}), one sidecar format written by {@link
 * image2music.pipeline.ResultFiles}, one resume rule ({@link image2music.pipeline.Recipes}), and
 * progress events with cooperative cancellation ({@link image2music.pipeline.progress}). {@link
 * image2music.pipeline.TextToMusic} is the model-level core of the music use cases: spectrogram
 * images from the diffusion pipeline, inverted to audio.
 */
package image2music.pipeline;
