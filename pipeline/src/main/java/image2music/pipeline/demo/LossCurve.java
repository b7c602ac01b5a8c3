package image2music.pipeline.demo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A training run's loss curve as an inline SVG (log-scaled loss over steps), drawn from its {@code
 * metrics.jsonl}: no plotting library, and the report stays one self-contained file.
 */
final class LossCurve {

    private static final int WIDTH = 480;
    private static final int HEIGHT = 160;
    private static final int PAD = 36;

    /** Longest log read: far more lines than any run logs. */
    private static final long MAX_BYTES = 64L << 20;

    private LossCurve() {}

    /** The curve of {@code metrics}, or a short note when it holds no step losses. */
    static String svg(Path metrics) throws IOException {
        List<double[]> points = read(metrics);
        if (points.size() < 2) {
            return "<p>(no training log at " + metrics.getFileName() + ")</p>";
        }
        double maxStep = points.get(points.size() - 1)[0];
        double minStep = points.get(0)[0];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] p : points) {
            lo = Math.min(lo, Math.log10(p[1]));
            hi = Math.max(hi, Math.log10(p[1]));
        }
        if (hi - lo < 1e-9) {
            hi = lo + 1;
        }
        StringBuilder path = new StringBuilder();
        for (double[] p : points) {
            double x = PAD + (p[0] - minStep) / Math.max(1, maxStep - minStep) * (WIDTH - 2 * PAD);
            double y = HEIGHT - PAD + (Math.log10(p[1]) - lo) / (hi - lo) * (2 * PAD - HEIGHT);
            path.append(path.isEmpty() ? "" : " ")
                    .append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        }
        return String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                        + " role=\"img\" aria-label=\"training loss\">"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"#fafafa\"/>"
                        + "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\""
                        + " points=\"%s\"/>"
                        + "<text x=\"4\" y=\"%d\" font-size=\"11\">%.3g</text>"
                        + "<text x=\"4\" y=\"%d\" font-size=\"11\">%.3g</text>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"11\">step %d</text>"
                        + "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">"
                        + "step %d</text></svg>",
                WIDTH,
                HEIGHT,
                path,
                PAD,
                Math.pow(10, hi),
                HEIGHT - PAD,
                Math.pow(10, lo),
                PAD,
                HEIGHT - 8,
                (long) minStep,
                WIDTH - PAD,
                HEIGHT - 8,
                (long) maxStep);
    }

    /** (step, loss) of each step line with a positive finite loss, in file order. */
    static List<double[]> read(Path metrics) throws IOException {
        List<double[]> out = new ArrayList<>();
        if (!Files.isRegularFile(metrics)) {
            return out;
        }
        if (Files.size(metrics) > MAX_BYTES) {
            throw new IOException(metrics + ": larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        try (BufferedReader r = Files.newBufferedReader(metrics, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                try {
                    JsonElement e = JsonParser.parseString(line);
                    if (!e.isJsonObject()) {
                        continue;
                    }
                    JsonObject o = e.getAsJsonObject();
                    JsonElement type = o.get("type");
                    JsonElement loss = o.get("loss");
                    JsonElement step = o.get("step");
                    if (type == null
                            || !"step".equals(type.getAsString())
                            || loss == null
                            || loss.isJsonNull()
                            || step == null) {
                        continue;
                    }
                    double l = loss.getAsDouble();
                    if (l > 0 && Double.isFinite(l)) {
                        out.add(new double[] {step.getAsDouble(), l});
                    }
                } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
                    // A line cut short by an interrupted run: the curve simply skips it.
                }
            }
        }
        return out;
    }
}
