using System.Diagnostics;
using System.Diagnostics.Metrics;
using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Core.Telemetry;

/// <summary>
/// Our own traces and metrics, in one place so every project can record them and the README can
/// list them. Instruments cost nothing until an exporter listens (Telemetry:* settings); names
/// follow OpenTelemetry's conventions and become photoreceipt_* series on the Prometheus endpoint.
/// </summary>
public static class PhotoReceiptTelemetry
{
    public const string MeterName = "PhotoReceipt";
    public const string JobsSourceName = "PhotoReceipt.Jobs";

    /// <summary>One activity per job run, the child of the request (or job) that enqueued it.</summary>
    public static readonly ActivitySource Jobs = new(JobsSourceName);

    public static readonly Meter Meter = new(MeterName);

    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    };

    /// <summary>Seconds a job's handler ran; tags job.kind and job.outcome (succeeded, retried, dead, released).</summary>
    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram("photoreceipt.job.duration", "s",
        "How long a job's handler ran", advice: SecondsBuckets);

    /// <summary>Seconds per photo pipeline stage (decode, faces, coarse matte, render, encode …); tag photo.stage.</summary>
    public static readonly Histogram<double> PhotoStageDuration = Meter.CreateHistogram("photoreceipt.photo.stage.duration", "s",
        "How long one stage of the photo pipeline took", advice: SecondsBuckets);

    /// <summary>Processed photos by photo.verdict: usable, unusable (a photo came out, some check fails), no_photo.</summary>
    public static readonly Counter<long> PhotoVerdicts = Meter.CreateCounter<long>("photoreceipt.photo.verdicts", "{photo}",
        "Photos processed, by verdict");

    /// <summary>Checks that did not pass, by check.id (the reason the user is told) and check.status (fail, warn).</summary>
    public static readonly Counter<long> PhotoCheckFindings = Meter.CreateCounter<long>("photoreceipt.photo.check_findings", "{check}",
        "Photo checks that failed or warned, by check");

    /// <summary>Service notices by notice.kind and notice.outcome (sent, no_grant, retry, uncertain, failed, not_composed).</summary>
    public static readonly Counter<long> Notices = Meter.CreateCounter<long>("photoreceipt.notices", "{notice}",
        "Service notice send attempts, by outcome");

    /// <summary>WeChat Pay transactions applied to orders, by payment.outcome (applied, already_applied, paid_after_cancel, amount_mismatch, not_found).</summary>
    public static readonly Counter<long> Payments = Meter.CreateCounter<long>("photoreceipt.payments", "{payment}",
        "Payments applied to orders, by outcome");

    /// <summary>Counts a processed photo's verdict and every check that did not pass.</summary>
    public static void RecordPhotoVerdict(CheckReport report, bool photoMade)
    {
        PhotoVerdicts.Add(1, new KeyValuePair<string, object?>("photo.verdict", !photoMade ? "no_photo" : report.Usable ? "usable" : "unusable"));
        foreach (var check in report.Checks)
        {
            if (check.Status == CheckStatus.Pass) continue;
            PhotoCheckFindings.Add(1, new KeyValuePair<string, object?>("check.id", check.Id),
                new KeyValuePair<string, object?>("check.status", check.Status == CheckStatus.Fail ? "fail" : "warn"));
        }
    }

    /// <summary>snake_case of an enum value, the form every outcome tag takes (PaidAfterCancel → paid_after_cancel).</summary>
    public static string Tag<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        var sb = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
