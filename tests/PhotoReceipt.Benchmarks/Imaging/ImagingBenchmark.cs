using System.Diagnostics;
using System.Globalization;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging;
using NetVips;

namespace PhotoReceipt.Benchmarks.Imaging;

/// <summary>
/// The photo pipeline on a 4000×3000 phone JPEG: per-stage and total time beside the libvips
/// decode floor measured in the same run, parallel throughput and peak RSS, with verdicts.
/// Options: --runs N (default 20), --spec ID (default cn-id-card), --fixture NAME (default test3.jpg,
/// the white-wall portrait; test0.jpg has a smaller face, so the spec needs a second, larger decode).
/// </summary>
public static class ImagingBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var runs = 20;
        var specId = "cn-id-card";
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--runs") runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--spec") specId = args[++i];
        }

        var catalog = ProductCatalog.LoadEmbedded();
        var spec = catalog.FindSpec(specId) ?? throw new ArgumentException($"unknown spec {specId}");
        using var pipeline = new PhotoPipeline(new ImagingOptions { MaxParallelism = 2 }, catalog);
        var fixture = args.SkipWhile(a => a != "--fixture").Skip(1).FirstOrDefault() ?? "test3.jpg";
        var phone = MakePhoneJpeg(Path.Combine(FindPortraits(), fixture));
        Console.WriteLine($"source: 4000×3000 JPEG made from {fixture}, {phone.Length / 1024.0 / 1024.0:0.0} MB; spec {specId}; {runs} runs; {Environment.ProcessorCount} cores");

        var request = new PhotoRequest(phone, spec);
        // Warm-up: JIT, detector creation, libvips module loading.
        for (var i = 0; i < 3; i++) Check(pipeline.ProcessTimed(request, []));
        for (var i = 0; i < 3; i++) DecodeFloor(phone);

        var floor = new List<double>();
        var total = new List<double>();
        var stages = new Dictionary<string, List<double>>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            DecodeFloor(phone);
            floor.Add(sw.Elapsed.TotalMilliseconds);

            var stageMs = new Dictionary<string, double>();
            sw.Restart();
            Check(pipeline.ProcessTimed(request, stageMs));
            total.Add(sw.Elapsed.TotalMilliseconds);
            foreach (var (k, v) in stageMs)
            {
                if (!stages.TryGetValue(k, out var list)) stages[k] = list = [];
                list.Add(v);
            }
        }

        // Throughput: the same number of photos one at a time, then two at a time.
        // Long enough phases (≈ 15 s one at a time on this machine) that a scheduler hiccup does not
        // decide the ratio.
        var photos = Math.Max(60, runs);
        var cpuSequential = Process.GetCurrentProcess().TotalProcessorTime;
        var sequential = Stopwatch.StartNew();
        for (var i = 0; i < photos; i++) Check(await pipeline.StandardizeAsync(request, CancellationToken.None));
        var oneAtATime = photos / sequential.Elapsed.TotalSeconds;
        var coresSequential = (Process.GetCurrentProcess().TotalProcessorTime - cpuSequential).TotalSeconds / sequential.Elapsed.TotalSeconds;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var parallel = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < photos / 2; i++) Check(await pipeline.StandardizeAsync(request, CancellationToken.None));
        })));
        var twoAtATime = photos / 2 * 2 / parallel.Elapsed.TotalSeconds;
        var coresUsed = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / parallel.Elapsed.TotalSeconds;
        var peakMb = PeakRssMb();
        var available = CoresAvailable();

        Console.WriteLine();
        Console.WriteLine("| stage | median ms | p95 ms |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, list) in stages) Row(name, list);
        Row("**total**", total);
        Row("decode floor (libvips shrink-on-load to ≤ 1000 px)", floor);
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| throughput, one at a time | {oneAtATime:0.00} photos/s |");
        Console.WriteLine($"| throughput, two in parallel | {twoAtATime:0.00} photos/s |");
        Console.WriteLine($"| cores this process used, one at a time | {coresSequential:0.00} |");
        Console.WriteLine($"| cores this process used, two in flight | {coresUsed:0.00} |");
        Console.WriteLine($"| control: cores this process gets with two busy-loop threads | {available:0.00} |");
        Console.WriteLine($"| machine load average (1 min) at the end | {File.ReadAllText("/proc/loadavg").Split(' ')[0]} |");
        Console.WriteLine($"| peak RSS (VmHWM) | {peakMb:0} MB |");
        Console.WriteLine();

        var ratio = Median(total) / Median(floor);
        var speedup = twoAtATime / oneAtATime;
        var ok1 = ratio <= 5;
        var ok2 = speedup >= 1.7;
        var ok3 = peakMb <= 400;
        Console.WriteLine($"{Verdict(ok1)} total median = {ratio:0.0}× the decode floor (target ≤ 5×)");
        Console.WriteLine($"{Verdict(ok2)} two pipelines in parallel = {speedup:0.00}× the throughput of one (target ≥ 1.7×)");
        Console.WriteLine($"{Verdict(ok3)} peak RSS with two in flight = {peakMb:0} MB (target ≤ 400 MB)");
        return ok1 && ok2 && ok3 ? 0 : 3;
    }

    /// <summary>Two threads spinning for a second: how much CPU the machine gives us right now.
    /// When other work saturates the cores, no pipeline can scale, and this shows it.</summary>
    private static double CoresAvailable()
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            var x = 0.0;
            while (sw.ElapsedMilliseconds < 1000) x = Math.Sqrt(x + 1);
            GC.KeepAlive(x);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds / sw.Elapsed.TotalSeconds;
    }

    private static string Verdict(bool ok) => ok ? "PASS" : "MISS";

    private static void Check(PhotoResult r)
    {
        if (r.Jpeg is null) throw new InvalidOperationException("benchmark photo was rejected: " + string.Join("; ", r.Report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id)));
    }

    private static void DecodeFloor(byte[] jpeg)
    {
        using var thumb = Image.ThumbnailBuffer(jpeg, 1000, height: 1000, size: Enums.Size.Down);
        _ = thumb.WriteToMemory<byte>();
    }

    private static byte[] MakePhoneJpeg(string portraitPath)
    {
        using var portrait = Image.NewFromFile(portraitPath);
        using var big = portrait.Resize(3000.0 / portrait.Height);
        using var framed = big.Embed((4000 - big.Width) / 2, 0, 4000, 3000, extend: Enums.Extend.Copy);
        return framed.JpegsaveBuffer(q: 92);
    }

    private static void Row(string name, List<double> values) =>
        Console.WriteLine($"| {name} | {Median(values):0.0} | {Percentile(values, 0.95):0.0} |");

    private static double Median(List<double> v) => Percentile(v, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    private static double PeakRssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
    }

    private static string FindPortraits()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PhotoReceipt.sln"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException($"no PhotoReceipt.sln above {AppContext.BaseDirectory}");
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "portraits"));
    }
}
