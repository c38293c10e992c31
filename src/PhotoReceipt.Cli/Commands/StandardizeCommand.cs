using System.CommandLine;
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
/// Exit 0 when the photo is usable, 2 when the report has failures, 1 on unreadable input.
/// </summary>
public static class StandardizeCommand
{
    private static readonly JsonSerializerOptions ReportJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static Command Create(CliContext context)
    {
        var catalog = ProductCatalog.LoadEmbedded();
        var spec = new Option<string>("--spec") { Description = "the photo spec to meet", Required = true };
        spec.AcceptOnlyFromAmong([.. catalog.Specs.Select(s => s.Id)]);
        var background = new Option<string>("--background")
        {
            Description = $"background colour: {string.Join(", ", catalog.BackgroundColours.Keys)} or #RRGGBB (default: the spec's)",
        };
        background.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } text && catalog.ResolveBackground(text) is null)
                result.AddError($"'{text}' is neither a colour name ({string.Join(", ", catalog.BackgroundColours.Keys)}) nor #RRGGBB");
        });
        var output = new Option<string>("--out") { Description = "where to write the standardized JPEG", Required = true };
        var report = new Option<string>("--report") { Description = "where to write the check report (JSON)" };
        var preview = new Option<string>("--preview") { Description = "where to write the reviewer's preview (PNG)" };
        var input = new Argument<string>("input") { Description = "the photo: JPEG, PNG, WebP or HEIF" };

        var command = new Command("standardize",
            "Make a spec-compliant ID photo and its check report from a photo file. Exit 0 when the photo is usable, 2 when the report has failures, 1 when the input cannot be read.")
        {
            spec, background, output, report, preview, input,
        };
        command.SetAction((parsed, ct) => RunAsync(context, catalog, new Request(
            catalog.FindSpec(parsed.GetValue(spec)!)!,
            parsed.GetValue(background) is { } text ? catalog.ResolveBackground(text) : null,
            parsed.GetValue(output)!, parsed.GetValue(report), parsed.GetValue(preview), parsed.GetValue(input)!), ct));
        return command;
    }

    private sealed record Request(PhotoSpec Spec, RgbColour? Background, string OutPath, string? ReportPath, string? PreviewPath, string Input);

    private static async Task<int> RunAsync(CliContext context, ProductCatalog catalog, Request request, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(request.Input, ct);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"photoreceipt standardize: cannot read '{request.Input}': {ex.Message}");
            return ExitCodes.Failed;
        }

        // Same settings as the services: Imaging__LandmarkModelPath=… etc. from the environment.
        var options = new ImagingOptions { MaxParallelism = 1 };
        context.Configuration.GetSection(ImagingOptions.SectionName).Bind(options);
        using var pipeline = new PhotoPipeline(options, catalog);
        var result = await pipeline.StandardizeAsync(new PhotoRequest(bytes, request.Spec, request.Background), ct);

        if (result.Jpeg is not null) await File.WriteAllBytesAsync(request.OutPath, result.Jpeg, ct);
        if (request.PreviewPath is not null && result.Preview is not null) await File.WriteAllBytesAsync(request.PreviewPath, result.Preview, ct);
        if (request.ReportPath is not null) await File.WriteAllTextAsync(request.ReportPath, JsonSerializer.Serialize(result.Report, ReportJson), ct);

        foreach (var c in result.Report.Checks)
            await context.Out.WriteLineAsync($"{c.Status,-4} {c.Id,-22} {c.Measured ?? "-",-34} {c.Allowed ?? "-",-28} {c.Message}");
        if (result.Jpeg is null)
        {
            await context.Error.WriteLineAsync("no photo could be made from this input");
            // Unreadable input is a 1; a readable photo that failed a rule (no face, cut-off head…) is a 2.
            return result.Report.Checks.Any(c => c.Id == "file" && c.Status == CheckStatus.Fail) ? ExitCodes.Failed : ExitCodes.UsageOrFailedChecks;
        }
        await context.Out.WriteLineAsync(result.Report.Usable ? $"wrote {request.OutPath}" : $"wrote {request.OutPath}, but the report has failures");
        return result.Report.Usable ? ExitCodes.Ok : ExitCodes.UsageOrFailedChecks;
    }
}
