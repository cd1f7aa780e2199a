package dev.nnc.cli.train;

import dev.nnc.runtime.checkpoint.AtomicFile;
import dev.nnc.runtime.train.EpochStats;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The loss and accuracy curves of a run, per epoch, training and validation, as a PNG (--plot). */
public final class Plot {
    private Plot() {}

    public static void write(Path file, String title, List<EpochStats> history) throws IOException {
        System.setProperty("java.awt.headless", "true"); // a chart needs no display
        var loss = new XYSeriesCollection();
        var accuracy = new XYSeriesCollection();
        var trainLoss = new XYSeries("training");
        var validationLoss = new XYSeries("validation");
        var trainAccuracy = new XYSeries("training");
        var validationAccuracy = new XYSeries("validation");
        for (EpochStats e : history) {
            add(trainLoss, e.epoch(), e.trainLoss());
            add(validationLoss, e.epoch(), e.validationLoss());
            add(trainAccuracy, e.epoch(), 100 * e.trainAccuracy());
            add(validationAccuracy, e.epoch(), 100 * e.validationAccuracy());
        }
        loss.addSeries(trainLoss);
        if (!validationLoss.isEmpty()) loss.addSeries(validationLoss);
        var epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        var combined = new CombinedDomainXYPlot(epochAxis);
        combined.add(plot(loss, "loss", true), 1);
        if (!trainAccuracy.isEmpty()) {
            accuracy.addSeries(trainAccuracy);
            if (!validationAccuracy.isEmpty()) accuracy.addSeries(validationAccuracy);
            combined.add(plot(accuracy, "accuracy (%)", false), 1); // same colours: one legend
        }
        var chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setBackgroundPaint(Color.WHITE);
        var png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, 900, 600);
        AtomicFile.write(file, png.toByteArray()); // whole or not at all, and a failure names the file and why
    }

    private static void add(XYSeries s, int epoch, double v) {
        if (Double.isFinite(v)) s.add(epoch, v);
    }

    private static XYPlot plot(XYSeriesCollection data, String label, boolean inLegend) {
        var axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        var renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesPaint(1, new Color(0xff7f0e));
        for (int s = 0; s < 2; s++) renderer.setSeriesStroke(s, new BasicStroke(2f));
        renderer.setDefaultSeriesVisibleInLegend(inLegend);
        var plot = new XYPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }
}
