namespace SoraEvents.Bench;

/// <summary>Percentiles by nearest rank, and a median, over plain samples.</summary>
public static class Stats
{
    public static double Percentile(IReadOnlyList<double> samples, double percentile)
    {
        if (samples.Count == 0) return double.NaN;
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values.ToList(), 50);
}
