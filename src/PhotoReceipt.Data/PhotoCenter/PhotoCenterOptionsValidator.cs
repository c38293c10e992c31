using Microsoft.Extensions.Options;
using PhotoReceipt.Core.PhotoCenter;

namespace PhotoReceipt.Data.PhotoCenter;

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
