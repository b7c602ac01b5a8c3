package image2music.spark;

import image2music.audio.dataset.AudioSources;
import image2music.audio.dataset.DatasetBuilder;
import image2music.audio.dataset.DatasetParams;
import image2music.audio.dataset.SpectrogramTileRenderer;
import image2music.audio.spectrogram.SpectrogramParams;
import image2music.core.io.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Local builder vs the Spark job on one corpus in one JVM (not a test; the README's figures): args
 * {@code AUDIO_DIR WORK_DIR MASTER ROUNDS}. Each round builds from scratch with both, alternating,
 * so load from other processes hits both alike. Default dataset parameters.
 */
public final class SparkBuildBenchmark {

    private SparkBuildBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path audio = Path.of(args[0]);
        Path work = Path.of(args[1]);
        String master = args[2];
        int rounds = Integer.parseInt(args[3]);
        int cores = Runtime.getRuntime().availableProcessors();
        DatasetParams params = DatasetParams.defaults();
        SpectrogramParams sp = params.spectrogramParams(SpectrogramParams.defaults());
        DatasetBuilder local =
                new DatasetBuilder(params, new SpectrogramTileRenderer(sp), sp, cores);
        Files.createDirectories(work);
        // Warm-up: JIT, FFTW plans.
        local.build(
                AudioSources.scan(audio), work.resolve("warm"), new DatasetBuilder.Listener() {});
        long t0 = System.nanoTime();
        SparkSession spark =
                SparkSession.builder()
                        .master(master)
                        .config("spark.ui.enabled", false)
                        .config("spark.local.dir", work.resolve("spark-local").toString())
                        .getOrCreate();
        System.out.printf("spark session start %.2f s%n", (System.nanoTime() - t0) / 1e9);
        for (int r = 0; r < rounds; r++) {
            Path lo = work.resolve("local-" + r);
            Path so = work.resolve("spark-" + r);
            FileTrees.delete(lo);
            FileTrees.delete(so);
            long a = System.nanoTime();
            DatasetBuilder.Summary s =
                    local.build(AudioSources.scan(audio), lo, new DatasetBuilder.Listener() {});
            long b = System.nanoTime();
            new SparkDatasetBuilder(spark, params).build(audio.toString(), so.toString());
            long c = System.nanoTime();
            System.out.printf(
                    "round %d: %d files, %d images; local (%d threads) %.2f s, spark %s %.2f s,"
                            + " ratio %.2f%n",
                    r,
                    s.files(),
                    s.images(),
                    cores,
                    (b - a) / 1e9,
                    master,
                    (c - b) / 1e9,
                    (double) (c - b) / (b - a));
        }
        spark.stop();
    }
}
