package image2music.data.synth;

import com.sun.media.sound.AudioSynthesizer;
import com.sun.media.sound.SoftSynthesizer;
import image2music.audio.Audio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Soundbank;
import javax.sound.midi.Track;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;

/**
 * Renders a MIDI {@link Sequence} to PCM offline with the JDK's own synthesiser (Gervill), through
 * {@link AudioSynthesizer#openStream}: no audio device, as fast as the CPU allows, and the same
 * samples for the same sequence. Uses a SoundFont when given one, else Gervill's built-in
 * (generated) General-MIDI bank.
 *
 * <p>Thread-safe: each render opens its own synthesiser; a loaded SoundFont is only read.
 */
final class GervillRenderer {

    /** Where Debian's {@code fluid-soundfont-gm} installs its General-MIDI SoundFont. */
    static final Path DEBIAN_SOUNDFONT = Path.of("/usr/share/sounds/sf2/FluidR3_GM.sf2");

    static final int SAMPLE_RATE = 44100;

    /** Fade at the cut-off end so a note sounding there does not end in a click. */
    private static final double FADE_SECONDS = 0.05;

    /** Headroom kept when the loudness target would push peaks past full scale. */
    private static final double MAX_PEAK = 0.97;

    private final Soundbank soundbank;
    private final String soundbankName;

    private GervillRenderer(Soundbank soundbank, String soundbankName) {
        this.soundbank = soundbank;
        this.soundbankName = soundbankName;
    }

    /**
     * A renderer using {@code soundfont} if not null (which must load), else Debian's GM SoundFont
     * if installed, else the built-in bank.
     */
    static GervillRenderer open(Path soundfont) throws IOException {
        Path file = soundfont;
        if (file == null && Files.isRegularFile(DEBIAN_SOUNDFONT)) {
            file = DEBIAN_SOUNDFONT;
        }
        if (file == null) {
            return new GervillRenderer(null, "Gervill built-in sounds");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try {
            return new GervillRenderer(
                    MidiSystem.getSoundbank(file.toFile()), file.getFileName().toString());
        } catch (InvalidMidiDataException | RuntimeException e) {
            throw new IOException(
                    file + ": not a SoundFont (.sf2) or DLS file (" + e.getMessage() + ")", e);
        }
    }

    /** The sounds in use: a SoundFont's file name or "Gervill built-in sounds". */
    String soundbankName() {
        return soundbankName;
    }

    /**
     * The first {@code seconds} of {@code seq}, mono at 44.1 kHz, scaled to {@code loudnessDbfs}
     * RMS (less where the peak would exceed {@value #MAX_PEAK}) and faded out over the last 50 ms.
     */
    Audio render(Sequence seq, double seconds, double loudnessDbfs) {
        int frames = (int) Math.round(seconds * SAMPLE_RATE);
        float[] samples = new float[frames];
        AudioSynthesizer synth = new SoftSynthesizer();
        Map<String, Object> info = new HashMap<>();
        if (soundbank != null) {
            // Skip building the built-in bank when a SoundFont replaces it anyway.
            info.put("load default soundbank", false);
        }
        AudioFormat format = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);
        try (AudioInputStream in = synth.openStream(format, info)) {
            if (soundbank != null) {
                synth.loadAllInstruments(soundbank);
            }
            send(seq, synth.getReceiver());
            byte[] buf = new byte[frames * 2];
            int n = 0;
            while (n < buf.length) {
                int k = in.read(buf, n, buf.length - n);
                if (k < 0) {
                    break;
                }
                n += k;
            }
            for (int i = 0; i < n / 2; i++) {
                samples[i] = (short) ((buf[2 * i] & 0xff) | (buf[2 * i + 1] << 8)) / 32768f;
            }
        } catch (MidiUnavailableException | InvalidMidiDataException e) {
            throw new IllegalStateException("Failed to render MIDI with Gervill", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to render MIDI with Gervill", e);
        } finally {
            synth.close();
        }
        level(samples, loudnessDbfs);
        int fade = Math.min(frames, (int) (FADE_SECONDS * SAMPLE_RATE));
        for (int i = 0; i < fade; i++) {
            samples[frames - 1 - i] *= i / (float) fade;
        }
        return Audio.mono(samples, SAMPLE_RATE);
    }

    /**
     * Queues every channel message of {@code seq} with its time in microseconds; in stream mode
     * Gervill plays each when the rendered samples reach it.
     */
    private static void send(Sequence seq, Receiver receiver) throws InvalidMidiDataException {
        if (seq.getDivisionType() != Sequence.PPQ) {
            throw new InvalidMidiDataException("only PPQ sequences are rendered");
        }
        java.util.List<MidiEvent> events = new java.util.ArrayList<>();
        for (Track t : seq.getTracks()) {
            for (int i = 0; i < t.size(); i++) {
                events.add(t.get(i));
            }
        }
        // Stable sort: events on one tick keep their order (a note-off before a re-strike).
        events.sort(java.util.Comparator.comparingLong(MidiEvent::getTick));
        double ppq = seq.getResolution();
        double microsPerQuarter = 500_000; // MIDI's default tempo, 120 bpm
        long lastTick = 0;
        double micros = 0;
        for (MidiEvent e : events) {
            micros += (e.getTick() - lastTick) * microsPerQuarter / ppq;
            lastTick = e.getTick();
            MidiMessage m = e.getMessage();
            if (m instanceof MetaMessage meta && meta.getType() == 0x51) {
                byte[] d = meta.getData();
                microsPerQuarter = ((d[0] & 0xff) << 16) | ((d[1] & 0xff) << 8) | (d[2] & 0xff);
            } else if (m instanceof ShortMessage) {
                receiver.send(m, Math.round(micros));
            }
        }
    }

    private static void level(float[] samples, double loudnessDbfs) {
        double sum = 0;
        double peak = 0;
        for (float s : samples) {
            sum += s * (double) s;
            peak = Math.max(peak, Math.abs(s));
        }
        if (peak == 0) {
            return;
        }
        double rms = Math.sqrt(sum / samples.length);
        double gain = Math.pow(10, loudnessDbfs / 20) / rms;
        gain = Math.min(gain, MAX_PEAK / peak);
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (samples[i] * gain);
        }
    }
}
