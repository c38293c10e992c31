using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging;

namespace PhotoReceipt.Cli.Commands;

/// <summary>
/// photoreceipt standardize --spec &lt;specId&gt; [--background white|blue|grey|#RRGGBB] --out out.jpg
///   [--report report.json] [--preview preview.png] in.jpg
/// Exit 0 when the photo is usable, 2 when the report has failures, 1 on unreadable input or usage errors.
/// </summary>
public static class StandardizeCommand
{
    private const string Usage =
        "usage: photoreceipt standardize --spec <specId> [--background white|blue|grey|#RRGGBB] --out out.jpg [--report report.json] [--preview preview.png] in.jpg";

    private static readonly JsonSerializerOptions ReportJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? specId = null, backgroundText = null, outPath = null, reportPath = null, previewPath = null, input = null;
        for (var i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--spec": specId = Next(); break;
                case "--background": backgroundText = Next(); break;
                case "--out": outPath = Next(); break;
                case "--report": reportPath = Next(); break;
                case "--preview": previewPath = Next(); break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    return UsageError($"unknown option {a}");
                default:
                    if (input is not null) return UsageError("only one input file");
                    input = args[i];
                    break;
            }
        }
        if (specId is null || outPath is null || input is null) return UsageError("--spec, --out and an input file are required");

        var catalog = ProductCatalog.LoadEmbedded();
        var spec = catalog.FindSpec(specId);
        if (spec is null) return UsageError($"unknown spec '{specId}'; known: {string.Join(", ", catalog.Specs.Select(s => s.Id))}");
        RgbColour? background = null;
        if (backgroundText is not null)
        {
            background = catalog.ResolveBackground(backgroundText);
            if (background is null) return UsageError($"'{backgroundText}' is neither a colour name ({string.Join(", ", catalog.BackgroundColours.Keys)}) nor #RRGGBB");
        }
        if (!File.Exists(input)) return UsageError($"input file '{input}' does not exist");

        var bytes = await File.ReadAllBytesAsync(input);
        // Same settings as the services: Imaging__LandmarkModelPath=… etc. from the environment.
        var options = new ImagingOptions { MaxParallelism = 1 };
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(ImagingOptions.SectionName).Bind(options);
        using var pipeline = new PhotoPipeline(options, catalog);
        var result = await pipeline.StandardizeAsync(new PhotoRequest(bytes, spec, background), CancellationToken.None);

        if (result.Jpeg is not null) await File.WriteAllBytesAsync(outPath, result.Jpeg);
        if (previewPath is not null && result.Preview is not null) await File.WriteAllBytesAsync(previewPath, result.Preview);
        if (reportPath is not null) await File.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(result.Report, ReportJson));

        foreach (var c in result.Report.Checks)
            Console.WriteLine($"{c.Status,-4} {c.Id,-22} {c.Measured ?? "-",-34} {c.Allowed ?? "-",-28} {c.Message}");
        if (result.Jpeg is null)
        {
            Console.Error.WriteLine("no photo could be made from this input");
            // Unreadable input is a 1; a readable photo that failed a rule (no face, cut-off head…) is a 2.
            return result.Report.Checks.Any(c => c.Id == "file" && c.Status == CheckStatus.Fail) ? 1 : 2;
        }
        Console.WriteLine(result.Report.Usable ? $"wrote {outPath}" : $"wrote {outPath}, but the report has failures");
        return result.Report.Usable ? 0 : 2;
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return 1;
    }
}
