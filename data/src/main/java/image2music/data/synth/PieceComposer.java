package image2music.data.synth;

import image2music.data.synth.MoodProfile.Mode;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * Composes a short piece as a General-MIDI {@link Sequence}: a four-chord progression in a mode,
 * held chords on a pad, a bass line, a melody walking the scale (chord tones on downbeats) and, for
 * some pieces, a drum kit. Everything is drawn from a {@link MoodProfile}; a pure function of the
 * profile and the random stream, so a seed gives the same piece.
 */
final class PieceComposer {

    /** Ticks per quarter note. */
    static final int PPQ = 480;

    private static final int LEAD = 0;
    private static final int PAD = 1;
    private static final int BASS = 2;
    private static final int DRUMS = 9;
    private static final int KICK = 36;
    private static final int SNARE = 38;
    private static final int HI_HAT = 42;

    /** E1 (41 Hz): lower bass notes are felt more than heard, and a 64-bin mel scale blurs them. */
    private static final int LOWEST_BASS = 28;

    /** Common progressions as scale degrees (0 = tonic). */
    private static final List<int[]> PROGRESSIONS =
            List.of(
                    new int[] {0, 3, 4, 0},
                    new int[] {0, 5, 3, 4},
                    new int[] {0, 4, 5, 3},
                    new int[] {0, 3, 0, 4},
                    new int[] {0, 5, 1, 4},
                    new int[] {0, 6, 3, 0},
                    new int[] {0, 2, 3, 4});

    private static final String[] NOTE_NAMES = {
        "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"
    };

    /**
     * What was drawn for one piece: the generator's parameters, recorded per file.
     *
     * @param root tonic pitch class, 0 = C
     * @param mode scale mode
     * @param tempo beats per minute
     * @param register melody centre, MIDI note
     * @param density melody notes per beat
     * @param legato sounding share of each note slot
     * @param velocity base melody velocity
     * @param loudness target RMS in dBFS
     * @param drums whether a drum part plays
     * @param lead melody program
     * @param pad chord program
     * @param bass bass program
     * @param progression scale degrees of the four chords
     */
    record Spec(
            int root,
            Mode mode,
            double tempo,
            int register,
            double density,
            double legato,
            int velocity,
            double loudness,
            boolean drums,
            int lead,
            int pad,
            int bass,
            int[] progression) {

        /** {@code key=value} pairs, the form the manifest's {@code title} holds. */
        String describe() {
            StringBuilder prog = new StringBuilder();
            for (int d : progression) {
                prog.append(prog.length() == 0 ? "" : "-").append(d + 1);
            }
            return String.format(
                    Locale.ROOT,
                    "key=%s mode=%s tempo=%.0f register=%d density=%.2f legato=%.2f velocity=%d"
                            + " loudness=%.1fdBFS drums=%s lead=%d pad=%d bass=%d progression=%s",
                    NOTE_NAMES[root],
                    mode.label(),
                    tempo,
                    register,
                    density,
                    legato,
                    velocity,
                    loudness,
                    drums ? "yes" : "no",
                    lead,
                    pad,
                    bass,
                    prog);
        }
    }

    private PieceComposer() {}

    /** Draws a piece's parameters from {@code p}. */
    static Spec draw(MoodProfile p, SplittableRandom r) {
        return new Spec(
                r.nextInt(12),
                p.drawMode(r),
                p.tempo().draw(r),
                (int) Math.round(p.register().draw(r)),
                p.density().draw(r),
                p.legato().draw(r),
                (int) Math.round(p.velocity().draw(r)),
                p.loudness().draw(r),
                r.nextDouble() < p.drums(),
                p.lead().get(r.nextInt(p.lead().size())),
                p.pad().get(r.nextInt(p.pad().size())),
                p.bass().get(r.nextInt(p.bass().size())),
                PROGRESSIONS.get(r.nextInt(PROGRESSIONS.size())));
    }

    /** The piece of {@code s}, {@code seconds} long (notes starting later are left out). */
    static Sequence compose(Spec s, double seconds, SplittableRandom r) {
        try {
            Sequence seq = new Sequence(Sequence.PPQ, PPQ);
            Track t = seq.createTrack();
            int mpq = (int) Math.round(60_000_000 / s.tempo());
            t.add(
                    new MidiEvent(
                            new MetaMessage(
                                    0x51,
                                    new byte[] {(byte) (mpq >> 16), (byte) (mpq >> 8), (byte) mpq},
                                    3),
                            0));
            // Slow, legato moods get more reverb: part of what makes them sound calm or gloomy.
            int reverb = (int) Math.round(20 + 80 * s.legato());
            setup(t, LEAD, s.lead(), 100, reverb);
            setup(t, PAD, s.pad(), 72, reverb);
            setup(t, BASS, s.bass(), 92, reverb / 2);
            if (s.drums()) {
                control(t, DRUMS, 7, 90, 0);
            }
            long end = Math.round(seconds * s.tempo() / 60 * PPQ);
            int bars = (int) (end / (4L * PPQ)) + 1;
            int tonic = tonic(s);
            int melodyDegree = 0;
            for (int bar = 0; bar < bars; bar++) {
                long barStart = bar * 4L * PPQ;
                int chord = s.progression()[bar % 4];
                // A slow swell over each four-bar phrase plus per-note jitter: dynamics.
                double phrase = StrictMath.sin(Math.PI * ((bar % 4) + 0.5) / 4);
                int vel = (int) Math.round(s.velocity() * (0.85 + 0.2 * phrase));
                pad(t, s, tonic, chord, barStart, end, vel);
                bass(t, s, tonic, chord, barStart, end, vel, r);
                melodyDegree = melody(t, s, tonic, chord, barStart, end, vel, melodyDegree, r);
                if (s.drums()) {
                    drums(t, s, barStart, end, vel, r);
                }
            }
            return seq;
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("Failed to build a MIDI sequence", e);
        }
    }

    /**
     * The tonic: the key's pitch 7 to 18 semitones below the melody's register. The pad and bass
     * sit on it, so a mood's register moves the whole arrangement (gloomy pieces are dark from the
     * bass up) instead of only the melody.
     */
    static int tonic(Spec s) {
        int top = s.register() - 7;
        return top - Math.floorMod(top - s.root(), 12);
    }

    private static void pad(Track t, Spec s, int tonic, int chord, long barStart, long end, int vel)
            throws InvalidMidiDataException {
        // Dense pieces restrike the chord every half bar; sparse ones hold it for the bar.
        int strikes = s.density() > 2 ? 2 : 1;
        long len = 4L * PPQ / strikes;
        for (int k = 0; k < strikes; k++) {
            long at = barStart + k * len;
            for (int i = 0; i < 3; i++) {
                int note = tonic + s.mode().semitones(chord + 2 * i);
                note(t, PAD, note, (int) (vel * 0.55), at, at + len - PPQ / 16, end);
            }
        }
    }

    private static void bass(
            Track t,
            Spec s,
            int tonic,
            int chord,
            long barStart,
            long end,
            int vel,
            SplittableRandom r)
            throws InvalidMidiDataException {
        long step = s.density() < 1.2 ? 2L * PPQ : s.density() < 2.5 ? PPQ : PPQ / 2;
        int root = tonic - 12 + s.mode().semitones(chord);
        if (root < LOWEST_BASS) {
            root += 12;
        }
        for (long at = barStart; at < barStart + 4L * PPQ; at += step) {
            // An occasional fifth keeps the line from being a drone.
            int note = r.nextDouble() < 0.25 ? root + 7 : root;
            long len = Math.max(PPQ / 8, Math.round(step * s.legato()));
            note(t, BASS, note, (int) (vel * 0.8), at, at + len, end);
        }
    }

    private static int melody(
            Track t,
            Spec s,
            int tonic,
            int chord,
            long barStart,
            long end,
            int vel,
            int degree,
            SplittableRandom r)
            throws InvalidMidiDataException {
        int centre = s.register() - tonic; // semitones above the tonic the melody hovers around
        for (int beat = 0; beat < 4; beat++) {
            // Subdivide each beat so that, on average, density notes fall on it.
            int sub = s.density() <= 1 ? 1 : s.density() <= 2 ? 2 : 4;
            double play = Math.min(1, s.density() / sub);
            long slot = PPQ / sub;
            for (int k = 0; k < sub; k++) {
                long at = barStart + beat * (long) PPQ + k * slot;
                if (r.nextDouble() >= play) {
                    continue;
                }
                if (beat == 0 && k == 0) {
                    degree = nearestChordTone(degree, chord);
                } else {
                    int[] steps = {-2, -1, -1, 1, 1, 2, 0, 3, -3};
                    degree += steps[r.nextInt(steps.length)];
                }
                // Pull the walk back towards the register so it never drifts away.
                int pitch = tonic + s.mode().semitones(degree);
                if (pitch - tonic > centre + 9) {
                    degree -= 3;
                } else if (pitch - tonic < centre - 9) {
                    degree += 3;
                }
                pitch = tonic + s.mode().semitones(degree);
                int accent = (k == 0 ? 8 : 0) + (beat == 0 ? 6 : 0);
                int v = vel + accent + (int) Math.round(6 * MoodProfile.gaussian(r));
                long len = Math.max(PPQ / 16, Math.round(slot * s.legato()));
                note(t, LEAD, pitch, v, at, at + len, end);
            }
        }
        return degree;
    }

    private static int nearestChordTone(int degree, int chord) {
        int best = degree;
        int bestDistance = Integer.MAX_VALUE;
        for (int d = degree - 3; d <= degree + 3; d++) {
            int rel = Math.floorMod(d - chord, 7);
            if ((rel == 0 || rel == 2 || rel == 4) && Math.abs(d - degree) < bestDistance) {
                best = d;
                bestDistance = Math.abs(d - degree);
            }
        }
        return best;
    }

    private static void drums(Track t, Spec s, long barStart, long end, int vel, SplittableRandom r)
            throws InvalidMidiDataException {
        int hats = s.density() > 2.2 ? 4 : 2;
        for (int beat = 0; beat < 4; beat++) {
            long at = barStart + beat * (long) PPQ;
            note(t, DRUMS, beat % 2 == 0 ? KICK : SNARE, (int) (vel * 0.9), at, at + PPQ / 4, end);
            for (int h = 0; h < hats; h++) {
                long hat = at + h * (long) PPQ / hats;
                int v = (int) (vel * (h == 0 ? 0.7 : 0.5) + 4 * MoodProfile.gaussian(r));
                note(t, DRUMS, HI_HAT, v, hat, hat + PPQ / 8, end);
            }
        }
    }

    private static void setup(Track t, int channel, int program, int volume, int reverb)
            throws InvalidMidiDataException {
        t.add(new MidiEvent(new ShortMessage(ShortMessage.PROGRAM_CHANGE, channel, program, 0), 0));
        control(t, channel, 7, volume, 0);
        control(t, channel, 91, Math.min(127, reverb), 0);
    }

    private static void control(Track t, int channel, int controller, int value, long tick)
            throws InvalidMidiDataException {
        t.add(
                new MidiEvent(
                        new ShortMessage(ShortMessage.CONTROL_CHANGE, channel, controller, value),
                        tick));
    }

    /** Adds a note unless it starts at or after {@code end}; clamps pitch and velocity. */
    private static void note(
            Track t, int channel, int pitch, int velocity, long on, long off, long end)
            throws InvalidMidiDataException {
        if (on >= end) {
            return;
        }
        int p = Math.max(0, Math.min(127, pitch));
        int v = Math.max(1, Math.min(127, velocity));
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, p, v), on));
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, p, 0), off));
    }
}
