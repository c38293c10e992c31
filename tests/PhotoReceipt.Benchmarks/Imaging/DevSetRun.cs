using System.Diagnostics;
using NetVips;
using OpenCvSharp;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging;
using PhotoReceipt.Imaging.Decoding;
using PhotoReceipt.Imaging.Pipeline;

namespace PhotoReceipt.Benchmarks.Imaging;

/// <summary>
/// The development set through the pipeline, for a person to look at: a table of each photo's
/// outcome against its label, and a contact sheet per photo (source with the mesh, framed photo,
/// matte, result, reviewer preview) under --out (default .data/devset).
/// Options: --spec ID (default cn-id-card), --only TEXT (files whose name contains it).
/// </summary>
public static class DevSetRun
{
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var specId = Option("--spec", "cn-id-card");
        var only = Option("--only", "");
        var root = RepoRoot();
        var outDir = Option("--out", Path.Combine(root, ".data", "devset"));
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        Directory.CreateDirectory(outDir);
        var catalog = ProductCatalog.LoadEmbedded();
        var spec = catalog.FindSpec(specId) ?? throw new ArgumentException($"unknown spec {specId}");
        using var pipeline = new PhotoPipeline(new ImagingOptions { MaxParallelism = 1 }, catalog);

        var shared = Path.GetFullPath(Path.Combine(root, "..", "shared", "fixtures"));
        var expect = File.ReadAllLines(Path.Combine(shared, "portraits-dev", "expect.tsv")).Skip(1)
            .Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[1]);
        var files = Directory.GetFiles(Path.Combine(shared, "portraits-dev"), "*.jpg")
            .Concat(Directory.GetFiles(Path.Combine(shared, "portraits"), "*.jpg"))
            .Where(f => Path.GetFileName(f).Contains(only, StringComparison.Ordinal)).Order().ToList();

        var sheets = new List<Image>();
        var agree = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var trace = new List<ProcessTrace>();
            var sw = Stopwatch.StartNew();
            var result = pipeline.ProcessTraced(new PhotoRequest(File.ReadAllBytes(file), spec), trace);
            var ms = sw.Elapsed.TotalMilliseconds;
            var fails = result.Report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id).ToList();
            var warns = result.Report.Checks.Where(c => c.Status == CheckStatus.Warn).Select(c => c.Id).ToList();
            var label = expect.GetValueOrDefault(name, "accept");
            var ok = label.Split('|').Any(l => l == "accept" ? result.Report.Usable : fails.Contains(l));
            if (ok) agree++;
            Console.WriteLine($"{(ok ? "ok  " : "MISS")} {name,-36} {label,-22} {(result.Report.Usable ? "usable" : "FAIL " + string.Join(",", fails)),-40} warn {string.Join(",", warns),-30} {ms,5:0} ms");
            if (trace.LastOrDefault() is { Facts: { } f, Subject: { } s0 })
                Console.WriteLine($"       facts yaw {s0.Pose.Yaw:0.0} pitch {s0.Pose.Pitch:0.0} roll {s0.Mesh.Roll * 180 / Math.PI:0.0} eyes {f.EyeOpening:0.000} sclera {f.EyeSclera:0.00} glare {f.EyeGlare:0.000} mouth {f.MouthGap:0.000} teeth {f.MouthTeeth:0.00} lips {f.LipContrast:0.0} smile {f.Smile:0.00} chroma {f.SkinChroma:0.0} headW {f.HeadWidth:0.00} sharp {f.Sharpness:0} skin {f.SkinLuma:0} light {f.LightingImbalance:0.00} forehead {f.ForeheadSkin:0.00} hat {f.HeadwearColour:0.00}");
            Console.WriteLine("       out " + string.Join(" | ", result.Report.Checks.Where(c => c.Id is "head_top" or "background" or "shoulders" or "clothing_contrast" or "source_resolution")
                .Select(c => $"{c.Id}={c.Measured}")));
            foreach (var c in result.Report.Checks.Where(c => c.Status != CheckStatus.Pass))
                Console.WriteLine($"       {c.Status,-4} {c.Id,-18} {c.Measured} (allowed {c.Allowed}) {c.Message}");
            if (result.Jpeg is not null) File.WriteAllBytes(Path.Combine(outDir, Path.ChangeExtension(name, ".out.jpg")), result.Jpeg);
            if (result.Preview is not null) File.WriteAllBytes(Path.Combine(outDir, Path.ChangeExtension(name, ".preview.png")), result.Preview);
            var panel = Panel(trace.LastOrDefault(), result, spec, $"{name}  {label} → {(result.Report.Usable ? "usable" : string.Join(",", fails))}");
            panel.WriteToFile(Path.Combine(outDir, Path.ChangeExtension(name, ".sheet.png")));
            sheets.Add(panel);
            foreach (var t in trace) { t.Work?.Dispose(); t.Portrait?.Dispose(); }
        }
        Console.WriteLine($"{agree}/{files.Count} as labelled");
        using var all = Image.Arrayjoin([.. sheets], across: 2, shim: 6, background: [255.0]);
        all.WriteToFile(Path.Combine(outDir, "contact-sheet.png"));
        Console.WriteLine($"contact sheets in {outDir}");
        return Task.FromResult(0);
    }

    /// <summary>Source with mesh · framed photo · matte · result · reviewer preview, at output height.</summary>
    private static Image Panel(ProcessTrace? t, PhotoResult result, PhotoSpec spec, string caption)
    {
        var h = spec.HeightPx;
        var tiles = new List<Image>();
        if (t?.Work is { } work)
        {
            using var marked = work.Clone();
            if (t.Subject is { } s)
            {
                foreach (var p in s.Mesh.Points) Cv2.Circle(marked, new OpenCvSharp.Point((int)p.X, (int)p.Y), 1, new Scalar(255, 255, 0), -1);
                foreach (var o in s.Others) Cv2.Rectangle(marked, new Rect((int)o.Left, (int)o.Top, (int)o.Width, (int)o.Height), new Scalar(255, 0, 0), 2);
            }
            using var img = VipsMats.ToImage(marked);
            tiles.Add(img.Resize((double)h / img.Height));
        }
        if (t?.Portrait is { } p2)
        {
            tiles.Add(VipsMats.ToImage(p2.Photo));
            using var a8 = new Mat();
            p2.Alpha.ConvertTo(a8, MatType.CV_8U, 255);
            using var a3 = new Mat();
            Cv2.CvtColor(a8, a3, ColorConversionCodes.GRAY2RGB);
            tiles.Add(VipsMats.ToImage(a3));
            tiles.Add(VipsMats.ToImage(p2.Composite));
        }
        if (result.Preview is not null)
        {
            using var preview = Image.NewFromBuffer(result.Preview);
            tiles.Add(preview.Resize((double)h / preview.Height));
        }
        if (tiles.Count == 0) using (var blank = Image.Black(h, h)) tiles.Add(blank.Linear([1.0], [200.0], uchar: true).Bandjoin(200, 200));
        using var row = Image.Arrayjoin([.. tiles], shim: 4, background: [255.0]);
        using var text = Image.Text(caption, dpi: 90);
        using var ink = text.Linear([-1.0], [255.0], uchar: true);
        using var label = ink.Bandjoin(ink, ink).Embed(0, 0, row.Width, text.Height + 6, extend: Enums.Extend.White);
        foreach (var tile in tiles) tile.Dispose();
        return row.Join(label, Enums.Direction.Vertical, expand: true, background: [255.0]);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PhotoReceipt.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("no PhotoReceipt.sln above the benchmark");
    }
}
