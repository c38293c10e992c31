namespace PhotoReceipt.Benchmarks;

/// <summary>Percentiles interpolated between the two nearest ranks, so that small samples
/// (20 pipeline runs, a few hundred uploads) do not jump from one sample to the next.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary><paramref name="p"/> from 0 to 1; NaN for no values.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return double.NaN;
        var rank = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
