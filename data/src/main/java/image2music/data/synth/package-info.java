/**
 * The synthetic mood corpus: pieces composed per mood and rendered offline with the JDK's MIDI
 * synthesiser (Gervill), and procedurally painted scenes, written as ordinary media roots ({@link
 * image2music.data.synth.SyntheticCorpus}, {@link image2music.data.synth.SynthCorpusParams}). The
 * moods' distributions ({@link image2music.data.synth.MoodProfile}) overlap on purpose.
 */
package image2music.data.synth;
