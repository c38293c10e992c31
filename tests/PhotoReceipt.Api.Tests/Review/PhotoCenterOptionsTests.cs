using Microsoft.Extensions.Options;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.PhotoCenter;

namespace PhotoReceipt.Api.Tests.Review;

public sealed class PhotoCenterOptionsTests
{
    private sealed class UnsignedHttpCenterFactory : ApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
            [new("PhotoCenter:Mode", "Http"), new("PhotoCenter:Http:BaseUrl", "https://center.example.com")];
    }

    [Fact]
    public async Task An_http_center_without_a_secret_stops_the_app_at_start()
    {
        var factory = new UnsignedHttpCenterFactory();
        await ((IAsyncLifetime)factory).InitializeAsync();
        try
        {
            var ex = Assert.IsType<OptionsValidationException>(factory.StartFailure());
            Assert.Contains("PhotoCenter:Http:Secret", ex.Message);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync();
        }
    }

    [Theory]
    [InlineData("Carrier", null, null, "PhotoCenter:Mode")]
    [InlineData("Http", "center.example.com", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "PhotoCenter:Http:BaseUrl")]
    [InlineData("Http", "https://center.example.com", "c2hvcnQ=", "PhotoCenter:Http:Secret")]
    [InlineData("Http", "https://center.example.com", "not base64!", "not valid base64")]
    public void Misconfigurations_are_named(string mode, string? baseUrl, string? secret, string expected)
    {
        var result = new PhotoCenterOptionsValidator().Validate(null, new PhotoCenterOptions
        {
            Mode = mode,
            Http = new HttpCenterOptions { BaseUrl = baseUrl, Secret = secret ?? "" },
        });
        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
    }

    [Fact]
    public void The_review_desk_needs_no_further_settings() =>
        Assert.True(new PhotoCenterOptionsValidator().Validate(null, new PhotoCenterOptions()).Succeeded);
}
