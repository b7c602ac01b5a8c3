package image2music.app.plot;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import image2music.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss and validation curves of a training run, drawn from its {@code metrics.jsonl}: step loss
 * and epoch training loss on the left axis, validation mAP and micro-F1 (0..1) on the right, all
 * against the step.
 */
public final class TrainingCurves {

    private TrainingCurves() {}

    /** Reads {@code metrics} and writes the chart to {@code png} (atomically). */
    public static void write(Path metrics, Path png) throws IOException {
        List<Double> stepX = new ArrayList<>();
        List<Double> stepLoss = new ArrayList<>();
        List<Double> epochX = new ArrayList<>();
        List<Double> epochLoss = new ArrayList<>();
        List<Double> valX = new ArrayList<>();
        List<Double> map = new ArrayList<>();
        List<Double> microF1 = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            JsonObject o;
            try {
                o = JsonParser.parseString(line).getAsJsonObject();
            } catch (RuntimeException e) {
                throw new IOException(metrics + ":" + lineNumber + ": not a JSON object", e);
            }
            double step = o.get("step").getAsDouble();
            if ("step".equals(o.get("type").getAsString())) {
                stepX.add(step);
                stepLoss.add(o.get("loss").getAsDouble());
            } else {
                if (finite(o.get("train_loss"))) {
                    epochX.add(step);
                    epochLoss.add(o.get("train_loss").getAsDouble());
                }
                JsonObject v = o.getAsJsonObject("validation");
                if (v != null && finite(v.get("map")) && finite(v.get("micro_f1"))) {
                    valX.add(step);
                    map.add(v.get("map").getAsDouble());
                    microF1.add(v.get("micro_f1").getAsDouble());
                }
            }
        }
        XYChart chart =
                new XYChartBuilder()
                        .width(800)
                        .height(500)
                        .title("Training: " + metrics.getParent().getFileName())
                        .xAxisTitle("step")
                        .yAxisTitle("loss")
                        .build();
        chart.getStyler()
                .setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(1, "validation");
        chart.getStyler().setYAxisMin(1, 0.0).setYAxisMax(1, 1.0);
        add(chart, "loss (step)", stepX, stepLoss, 0, false);
        add(chart, "loss (epoch mean)", epochX, epochLoss, 0, true);
        add(chart, "validation mAP", valX, map, 1, true);
        add(chart, "validation micro-F1", valX, microF1, 1, true);
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, bytes);
    }

    private static void add(
            XYChart chart, String name, List<Double> x, List<Double> y, int axis, boolean marks) {
        if (x.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setYAxisGroup(axis);
        s.setMarker(marks ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    private static boolean finite(JsonElement e) {
        return e != null && !e.isJsonNull() && Double.isFinite(e.getAsDouble());
    }
}
