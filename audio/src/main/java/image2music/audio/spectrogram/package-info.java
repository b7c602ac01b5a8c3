/**
 * Audio to Riffusion-format mel spectrogram images and back.
 *
 * <p>Forward ({@link image2music.audio.spectrogram.SpectrogramConverter#spectrogramFromAudio}):
 * torch.stft-compatible STFT (centre/reflect padding, periodic Hann 4410 centred in an n_fft 17640
 * frame, hop 441) through FFTW in single precision, only the window's samples in and only the bins
 * up to 10 kHz out, frames spread over all cores; magnitudes of int16-scaled samples through a
 * sparse HTK mel filterbank (torchaudio's {@code melscale_fbanks}, no norm). {@link
 * image2music.audio.spectrogram.SpectrogramImage} applies Riffusion's pixel rule bit for bit
 * (float32, truncation, flipped, mono grey or stereo (0, L, R)); {@link
 * image2music.audio.spectrogram.SpectrogramImageIO} writes PNG (eXIf) or JPEG (APP1) with
 * Riffusion's EXIF tags 11000-11080.
 *
 * <p>Inverse ({@link image2music.audio.spectrogram.SpectrogramConverter#audioFromSpectrogram}):
 * closed-form minimum-norm inverse mel (M M^T is bidiagonal-factorable: one banded Cholesky),
 * clamped at 0; phase-gradient heuristic integration (PGHI) for the initial phase; fast Griffin-Lim
 * (momentum 0.99) in which every iterate's magnitude is projected back onto the target mel (least
 * squares, clamped), so the output's mel, not a guessed linear spectrum, is what converges; then
 * -12 dBFS RMS loudness lowered as needed to keep the peak at -0.1 dBFS (no clipping). The momentum
 * is applied to the signal before each analysis (the STFT is linear), so no frame keeps its
 * previous spectrum, and each frame is inverse-transformed as soon as it is updated: between
 * iterations only the windowed frames are kept (a quarter of one spectrum each, where there were
 * two spectra), and the per-bin update runs on split real and imaginary arrays, which the JIT
 * vectorises.
 *
 * <p>Griffin-Lim runs below the image's rate ({@link
 * image2music.audio.spectrogram.PhaseRecoveryRate}): the image holds nothing above 10 kHz, so the
 * signal being rebuilt is band-limited and 22400 Hz (hop 224, window 2240, n_fft 8960) carries it
 * with room for the window's main lobe and the resampler's transition band. The bin spacing stays
 * 2.5 Hz, so the inverse mel, the mel projection and PGHI work on the very same bins; only the
 * FFTs, most of Griffin-Lim's time, halve. Targets are scaled by the window-sum ratio (224/441) so
 * the level is what the full rate gives, and the result is resampled to 44.1 kHz. The output
 * matches the full-rate one (correlation above 0.9999, same SC); Griffin-Lim takes about 2/3 of the
 * time. Parameters without such a rate (a band up to near Nyquist) run at the full rate.
 *
 * <p>Measured on Riffusion's reference clip: round-trip mel spectral convergence 0.027-0.029
 * against Riffusion's 0.146; PGHI alone (no iterations) reaches about 0.11, and PGHI plus 8
 * iterations beats 32 iterations from random phase.
 */
package image2music.audio.spectrogram;
