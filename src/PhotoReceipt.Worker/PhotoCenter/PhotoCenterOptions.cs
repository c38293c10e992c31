using Microsoft.Extensions.Options;

namespace PhotoReceipt.Worker.PhotoCenter;

public sealed class PhotoCenterOptions
{
    public const string Section = "PhotoCenter";

    public const string ReviewDeskMode = "ReviewDesk";
    public const string HttpMode = "Http";
    public const string SimulatorMode = "Simulator";

    /// <summary>ReviewDesk (reviewers decide in /console), Http (an external center) or Simulator (local runs).</summary>
    public string Mode { get; set; } = ReviewDeskMode;

    /// <summary>How long a reviewer's claim on an order lasts before another reviewer may take it over.</summary>
    public double ClaimLeaseMinutes { get; set; } = 10;

    public HttpCenterOptions Http { get; set; } = new();
    public SimulatorOptions Simulator { get; set; } = new();
}

public sealed class HttpCenterOptions
{
    /// <summary>The center's base URL; submissions go to {BaseUrl}/submissions.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Base64 of ≥ 32 random bytes shared with the center; signs both directions (environment PhotoCenter__Http__Secret).</summary>
    public string Secret { get; set; } = "";

    public double TimeoutSeconds { get; set; } = 15;

    /// <summary>How far a callback's timestamp may be from our clock, either way.</summary>
    public double ReplayWindowSeconds { get; set; } = 300;

    public byte[] SecretBytes() => Convert.FromBase64String(Secret);
}

public sealed class SimulatorOptions
{
    /// <summary>How long the simulated center "takes" to decide.</summary>
    public double DelaySeconds { get; set; } = 30;
}

/// <summary>Refuses to start with a mode that is misspelt or an Http mode that could not sign.</summary>
public sealed class PhotoCenterOptionsValidator : IValidateOptions<PhotoCenterOptions>
{
    public ValidateOptionsResult Validate(string? name, PhotoCenterOptions o)
    {
        var errors = new List<string>();
        if (o.Mode is not (PhotoCenterOptions.ReviewDeskMode or PhotoCenterOptions.HttpMode or PhotoCenterOptions.SimulatorMode))
            errors.Add($"PhotoCenter:Mode must be ReviewDesk, Http or Simulator, not '{o.Mode}'.");
        if (o.ClaimLeaseMinutes is <= 0 or > 24 * 60) errors.Add("PhotoCenter:ClaimLeaseMinutes must be between 0 and 1440.");
        if (o.Mode == PhotoCenterOptions.HttpMode)
        {
            if (!Uri.TryCreate(o.Http.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                errors.Add("PhotoCenter:Http:BaseUrl must be an absolute http(s) URL.");
            byte[] secret = [];
            try
            {
                secret = o.Http.SecretBytes();
            }
            catch (FormatException)
            {
                errors.Add("PhotoCenter:Http:Secret is not valid base64.");
            }
            if (secret.Length < 32) errors.Add("PhotoCenter:Http:Secret must be at least 32 bytes (base64); set PhotoCenter__Http__Secret.");
            if (o.Http.TimeoutSeconds is <= 0 or > 300) errors.Add("PhotoCenter:Http:TimeoutSeconds must be between 0 and 300.");
            if (o.Http.ReplayWindowSeconds is < 10 or > 3600) errors.Add("PhotoCenter:Http:ReplayWindowSeconds must be between 10 and 3600.");
        }
        if (o.Mode == PhotoCenterOptions.SimulatorMode && o.Simulator.DelaySeconds is < 0 or > 86400)
            errors.Add("PhotoCenter:Simulator:DelaySeconds must be between 0 and 86400.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
