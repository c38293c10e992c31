using Microsoft.Extensions.Options;
using PhotoReceipt.Api.Tests.Support;

namespace PhotoReceipt.Api.Tests.Platform;

/// <summary>
/// Every options class is validated when the app starts: a missing key stops it there, with the setting
/// named, instead of failing the first login (Pii) or the first download URL (Files) in production.
/// </summary>
public sealed class StartupValidationTests
{
    private sealed class MisconfiguredFactory(params (string Key, string? Value)[] settings) : ApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings => settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value));
    }

    [Theory]
    [InlineData("Pii:LookupKey", "", "Pii:LookupKey")]
    [InlineData("Pii:CurrentKeyId", "", "Pii:CurrentKeyId")]
    [InlineData("Pii:CurrentKeyId", "k9", "no key 'k9'")]
    [InlineData("Files:SigningKey", "", "Files:SigningKey")]
    [InlineData("Files:SigningKey", "c2hvcnQ=", "Files:SigningKey must be at least 32 bytes")]
    [InlineData("Jobs:MaxAttempts", "0", "MaxAttempts")]
    [InlineData("Uploads:MaxBytes", "10", "MaxBytes")]
    [InlineData("Sessions:LifetimeDays", "0", "LifetimeDays")]
    public async Task A_missing_or_malformed_setting_stops_the_app_at_start(string key, string value, string named)
    {
        var factory = new MisconfiguredFactory((key, value));
        await ((IAsyncLifetime)factory).InitializeAsync();
        try
        {
            var ex = Assert.IsType<OptionsValidationException>(factory.StartFailure());
            Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }
}
