namespace PhotoReceipt.Core.PhotoCenter;

/// <summary>Section <c>PhotoCenter</c>: read by the worker (which center to submit to) and the API (the callback, the review desk's claims).</summary>
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
