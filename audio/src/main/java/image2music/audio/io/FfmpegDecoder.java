package image2music.audio.io;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_BITRATE;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import image2music.audio.Audio;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes compressed audio (mp3, m4a/aac, opus, vorbis, flac, anything FFmpeg reads) through the
 * JavaCPP FFmpeg binding. Audio keeps its native rate and channel layout; samples become 32-bit
 * float. Every native object is freed before returning, also on errors.
 *
 * <p>FFmpeg's native libraries load when this class is first used, so WAV-only work never pays for
 * them.
 */
public final class FfmpegDecoder {

    /** AVERROR(EAGAIN) on Linux: the decoder wants more input before it yields a frame. */
    private static final int AVERROR_EAGAIN = -11;

    /** Decoded audio shorter than this share of the declared duration means a cut-off file. */
    private static final double MIN_DECODED_SHARE = 0.9;

    /** Slack in seconds for codec priming and padding when comparing durations. */
    private static final double DURATION_SLACK_S = 0.1;

    static {
        // Errors are reported through return codes with the file name; FFmpeg's own log would
        // repeat them without it.
        av_log_set_level(AV_LOG_QUIET);
    }

    private FfmpegDecoder() {}

    /** Reads the first audio stream's duration, rate, channel count and codec name. */
    public static AudioInfo probe(Path file) throws AudioFormatException {
        AVFormatContext fmt = open(file);
        try {
            int index = bestAudioStream(file, fmt);
            AVStream stream = fmt.streams(index);
            AVCodecParameters par = stream.codecpar();
            if (par.sample_rate() <= 0 || par.ch_layout().nb_channels() <= 0) {
                throw new AudioFormatException(file, "audio stream has no sample rate or channels");
            }
            return new AudioInfo(
                    declaredDuration(fmt, stream),
                    par.sample_rate(),
                    par.ch_layout().nb_channels(),
                    avcodec_get_name(par.codec_id()).getString());
        } finally {
            avformat_close_input(fmt);
        }
    }

    /** Decodes the best audio stream of {@code file} completely. */
    public static Audio decode(Path file) throws AudioFormatException {
        return decode(file, 0, Double.POSITIVE_INFINITY);
    }

    /**
     * Decodes at most {@code maxSeconds} of the best audio stream of {@code file} from {@code
     * startSeconds} on: samples before the start are decoded and dropped, and reading stops once
     * the span is complete, so memory is bounded by the span whatever the file's length. A span
     * past the end gives empty audio; a window is not checked against the declared length.
     */
    public static Audio decode(Path file, double startSeconds, double maxSeconds)
            throws AudioFormatException {
        if (!(startSeconds >= 0) || !(maxSeconds > 0)) {
            throw new IllegalArgumentException(
                    "bad span: start " + startSeconds + " s, length " + maxSeconds + " s");
        }
        return run(file, startSeconds, maxSeconds, 0, 0, null);
    }

    /**
     * Decodes all of {@code file} in one pass, resampled to {@code rate} by FFmpeg's stateful
     * resampler, handing {@code sink} consecutive blocks of {@code blockFrames} frames (the last
     * one shorter): memory is bounded by a block whatever the file's length. Checked as {@link
     * #decode(Path)} checks (nothing decodable, or cut short, is an error, after the blocks so
     * far).
     */
    public static void stream(Path file, int rate, int blockFrames, Consumer<Audio> sink)
            throws AudioFormatException {
        if (rate <= 0 || blockFrames <= 0) {
            throw new IllegalArgumentException(
                    "bad stream: rate " + rate + " Hz, blocks of " + blockFrames);
        }
        run(file, 0, Double.POSITIVE_INFINITY, rate, blockFrames, sink);
    }

    /**
     * The decoding loop: a span at the native rate into memory ({@code sink} null), or the whole
     * file at {@code outRate} in blocks to {@code sink}.
     */
    private static Audio run(
            Path file,
            double startSeconds,
            double maxSeconds,
            int outRate,
            int blockFrames,
            Consumer<Audio> sink)
            throws AudioFormatException {
        boolean whole = startSeconds == 0 && Double.isInfinite(maxSeconds);
        AVFormatContext fmt = open(file);
        AVCodecContext ctx = null;
        AVPacket packet = null;
        AVFrame frame = null;
        Converter converter = null;
        try {
            int index = bestAudioStream(file, fmt);
            AVStream stream = fmt.streams(index);
            AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
            if (codec == null || codec.isNull()) {
                throw new AudioFormatException(
                        file,
                        "no decoder for codec "
                                + avcodec_get_name(stream.codecpar().codec_id()).getString());
            }
            ctx = avcodec_alloc_context3(codec);
            if (ctx == null || ctx.isNull()) {
                ctx = null;
                throw new AudioFormatException(file, "cannot allocate a decoder");
            }
            check(
                    file,
                    "cannot set up decoder",
                    avcodec_parameters_to_context(ctx, stream.codecpar()));
            check(file, "cannot open decoder", avcodec_open2(ctx, codec, (PointerPointer<?>) null));
            packet = av_packet_alloc();
            frame = av_frame_alloc();
            converter = new Converter(file, startSeconds, maxSeconds, outRate, blockFrames, sink);
            int packets = 0;
            int badPackets = 0;
            int lastError = 0;
            int r = 0;
            while (!converter.full() && (r = av_read_frame(fmt, packet)) >= 0) {
                try {
                    if (packet.stream_index() == index) {
                        packets++;
                        // Like ffmpeg itself, skip a damaged packet and go on; only a file
                        // with nothing decodable fails.
                        int sent = avcodec_send_packet(ctx, packet);
                        if (sent < 0 && sent != AVERROR_EAGAIN) {
                            badPackets++;
                            lastError = sent;
                        } else {
                            int got = drain(ctx, frame, converter);
                            if (got < 0) {
                                badPackets++;
                                lastError = got;
                            }
                        }
                    }
                } finally {
                    av_packet_unref(packet);
                }
            }
            if (converter.full()) {
                r = AVERROR_EOF;
            }
            if (r != AVERROR_EOF) {
                lastError = r;
                badPackets++;
            }
            avcodec_send_packet(ctx, null);
            drain(ctx, frame, converter);
            Audio audio = converter.finish();
            if (!whole && converter.started()) {
                return audio;
            }
            if (converter.total() == 0) {
                String why = lastError != 0 ? ": " + errorText(lastError) : "";
                throw new AudioFormatException(
                        file, "no audio could be decoded from " + packets + " packets" + why);
            }
            checkComplete(
                    file,
                    fmt,
                    stream,
                    converter.total() / (double) converter.outputRate(),
                    badPackets,
                    lastError);
            return audio;
        } finally {
            if (converter != null) {
                converter.close();
            }
            // The free functions take a pointer to the pointer: never hand them a null object.
            if (frame != null) {
                av_frame_free(frame);
            }
            if (packet != null) {
                av_packet_free(packet);
            }
            if (ctx != null) {
                avcodec_free_context(ctx);
            }
            avformat_close_input(fmt);
        }
    }

    /** Receives every frame the decoder has ready; returns a negative error code on failure. */
    private static int drain(AVCodecContext ctx, AVFrame frame, Converter converter)
            throws AudioFormatException {
        while (true) {
            int r = avcodec_receive_frame(ctx, frame);
            if (r == AVERROR_EAGAIN || r == AVERROR_EOF) {
                return 0;
            }
            if (r < 0) {
                return r;
            }
            try {
                converter.add(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    /**
     * Rejects a file cut short: the decoded length falls well below what the container declares.
     * Durations that FFmpeg only guessed from the bit rate are not trusted.
     */
    private static void checkComplete(
            Path file, AVFormatContext fmt, AVStream stream, double decoded, int bad, int lastError)
            throws AudioFormatException {
        if (fmt.duration_estimation_method() == AVFMT_DURATION_FROM_BITRATE) {
            return;
        }
        double declared = declaredDuration(fmt, stream);
        if (declared > 0 && decoded < MIN_DECODED_SHARE * declared - DURATION_SLACK_S) {
            String why =
                    bad > 0 ? " (" + bad + " damaged packets: " + errorText(lastError) + ")" : "";
            throw new AudioFormatException(
                    file,
                    String.format(
                            "truncated or damaged: decoded %.2f s of the %.2f s declared%s",
                            decoded, declared, why));
        }
    }

    private static AVFormatContext open(Path file) throws AudioFormatException {
        if (!Files.isRegularFile(file)) {
            throw new AudioFormatException(file, "no such file");
        }
        AVFormatContext fmt = new AVFormatContext(null);
        // The "file:" protocol prefix keeps a colon in the name from reading as a protocol.
        String url = "file:" + file.toAbsolutePath();
        check(file, "cannot open", avformat_open_input(fmt, url, null, null));
        int r = avformat_find_stream_info(fmt, (PointerPointer<?>) null);
        if (r < 0) {
            avformat_close_input(fmt);
            throw new AudioFormatException(file, "cannot read stream info: " + errorText(r));
        }
        return fmt;
    }

    private static int bestAudioStream(Path file, AVFormatContext fmt) throws AudioFormatException {
        int index = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, (AVCodec) null, 0);
        if (index < 0) {
            throw new AudioFormatException(file, "no audio stream: " + errorText(index));
        }
        return index;
    }

    /** The stream's duration in seconds, else the container's, else NaN. */
    private static double declaredDuration(AVFormatContext fmt, AVStream stream) {
        long d = stream.duration();
        if (d != AV_NOPTS_VALUE && d > 0) {
            return d * av_q2d(stream.time_base());
        }
        long f = fmt.duration();
        return f != AV_NOPTS_VALUE && f > 0 ? f / (double) AV_TIME_BASE : Double.NaN;
    }

    private static void check(Path file, String what, int code) throws AudioFormatException {
        if (code < 0) {
            throw new AudioFormatException(file, what + ": " + errorText(code));
        }
    }

    /** FFmpeg's description of an error code. */
    static String errorText(int code) {
        byte[] buf = new byte[256];
        if (av_strerror(code, buf, buf.length) < 0) {
            return "FFmpeg error " + code;
        }
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * Converts decoded frames of any sample format to planar float at the native rate and layout,
     * collecting the samples per channel.
     */
    private static final class Converter implements AutoCloseable {
        private final Path file;
        private SwrContext swr;
        private int rate;
        private int channels;
        private int format = -1;
        private float[][] samples;
        private int length;
        private FloatPointer[] planes;
        private PointerPointer<FloatPointer> planePointers;
        private int planeCapacity;
        private final double startSeconds;
        private final double maxSeconds;
        private final int outRate;
        private final int blockFrames;
        private final Consumer<Audio> sink;
        private int outputRate;
        private long skip;
        private long keep = Long.MAX_VALUE;
        private long emitted;

        /**
         * @param outRate the rate to convert to, or 0 for the file's own
         * @param sink receives blocks of {@code blockFrames} frames, or null to keep everything
         */
        Converter(
                Path file,
                double startSeconds,
                double maxSeconds,
                int outRate,
                int blockFrames,
                Consumer<Audio> sink) {
            this.file = file;
            this.startSeconds = startSeconds;
            this.maxSeconds = maxSeconds;
            this.outRate = outRate;
            this.blockFrames = blockFrames;
            this.sink = sink;
        }

        /** The rate of the audio produced. */
        int outputRate() {
            return outputRate;
        }

        /** Frames produced so far, handed on or kept. */
        long total() {
            return emitted + length;
        }

        /** Whether any frame arrived. */
        boolean started() {
            return swr != null;
        }

        /** Whether the span asked for is complete. */
        boolean full() {
            return swr != null && length >= keep;
        }

        void add(AVFrame frame) throws AudioFormatException {
            if (swr == null) {
                start(frame);
            } else if (frame.sample_rate() != rate
                    || frame.ch_layout().nb_channels() != channels
                    || frame.format() != format) {
                throw new AudioFormatException(
                        file,
                        "audio format changes mid-stream (rate "
                                + rate
                                + " -> "
                                + frame.sample_rate()
                                + ", channels "
                                + channels
                                + " -> "
                                + frame.ch_layout().nb_channels()
                                + ")");
            }
            convert(frame.extended_data(), frame.nb_samples());
        }

        private void start(AVFrame frame) throws AudioFormatException {
            rate = frame.sample_rate();
            outputRate = outRate > 0 ? outRate : rate;
            channels = frame.ch_layout().nb_channels();
            format = frame.format();
            if (rate <= 0 || channels <= 0) {
                throw new AudioFormatException(
                        file, "decoder gave rate " + rate + " with " + channels + " channels");
            }
            AVChannelLayout layout = new AVChannelLayout();
            try {
                // A layout without channel positions is still a plain set of channels.
                if (frame.ch_layout().order() == AV_CHANNEL_ORDER_UNSPEC) {
                    av_channel_layout_default(layout, channels);
                } else {
                    check(
                            file,
                            "bad channel layout",
                            av_channel_layout_copy(layout, frame.ch_layout()));
                }
                SwrContext ctx = new SwrContext(null);
                check(
                        file,
                        "cannot set up sample conversion",
                        swr_alloc_set_opts2(
                                ctx,
                                layout,
                                AV_SAMPLE_FMT_FLTP,
                                outputRate,
                                layout,
                                format,
                                rate,
                                0,
                                null));
                swr = ctx;
                check(file, "cannot start sample conversion", swr_init(swr));
            } finally {
                av_channel_layout_uninit(layout);
                layout.close();
            }
            skip = Math.round(startSeconds * outputRate);
            if (!Double.isInfinite(maxSeconds)) {
                keep = Math.max(1, Math.round(maxSeconds * outputRate));
            }
            samples = new float[channels][Math.max(1024, frame.nb_samples())];
            planes = new FloatPointer[channels];
            planePointers = new PointerPointer<>(channels);
        }

        private void convert(PointerPointer<?> in, int inCount) throws AudioFormatException {
            int capacity = swr_get_out_samples(swr, inCount);
            if (capacity <= 0) {
                return;
            }
            ensurePlanes(capacity);
            int got = swr_convert(swr, planePointers, capacity, in, inCount);
            if (got < 0) {
                throw new AudioFormatException(file, "sample conversion failed: " + errorText(got));
            }
            // Only the part of this block inside [skip, skip + keep) is kept.
            int from = (int) Math.min(got, skip);
            skip -= from;
            int take = (int) Math.min(got - from, keep - length);
            if (take <= 0) {
                return;
            }
            ensureSamples((long) length + take);
            for (int c = 0; c < channels; c++) {
                planes[c].position(from).get(samples[c], length, take);
                planes[c].position(0);
            }
            length += take;
            while (sink != null && length >= blockFrames) {
                emit(blockFrames);
            }
        }

        /** Hands the first {@code n} frames to the sink and keeps the rest. */
        private void emit(int n) {
            float[][] block = new float[channels][];
            for (int c = 0; c < channels; c++) {
                block[c] = Arrays.copyOf(samples[c], n);
                System.arraycopy(samples[c], n, samples[c], 0, length - n);
            }
            length -= n;
            emitted += n;
            sink.accept(new Audio(block, outputRate));
        }

        private void ensurePlanes(int capacity) {
            if (capacity <= planeCapacity) {
                return;
            }
            for (int c = 0; c < channels; c++) {
                if (planes[c] != null) {
                    planes[c].close();
                }
                planes[c] = new FloatPointer(capacity);
                planePointers.put(c, planes[c]);
            }
            planeCapacity = capacity;
        }

        private void ensureSamples(long needed) {
            if (needed <= samples[0].length) {
                return;
            }
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException(
                        file + ": too long to decode at once; read a span of it");
            }
            int size =
                    (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, samples[0].length * 2L));
            for (int c = 0; c < channels; c++) {
                samples[c] = Arrays.copyOf(samples[c], size);
            }
        }

        /** Flushes the converter; null if no frame was ever decoded. */
        Audio finish() throws AudioFormatException {
            if (swr == null) {
                return null;
            }
            convert(null, 0);
            if (sink != null) {
                if (length > 0) {
                    emit(length);
                }
                return null;
            }
            float[][] out = new float[channels][];
            for (int c = 0; c < channels; c++) {
                out[c] = Arrays.copyOf(samples[c], length);
            }
            return new Audio(out, outputRate);
        }

        @Override
        public void close() {
            if (swr != null) {
                swr_free(swr);
            }
            if (planes != null) {
                for (FloatPointer p : planes) {
                    if (p != null) {
                        p.close();
                    }
                }
                planePointers.close();
            }
        }
    }
}
