namespace PhotoReceipt.Api.Tests.Support;

public static class StartFailures
{
    /// <summary>
    /// Why the app refused to start. Under load WebApplicationFactory sometimes reports a failed start as an
    /// ObjectDisposedException instead: the app's Run disposes its services as it fails, while the factory is
    /// still asking them for the app's lifetime. The host logs the real reason first ("Hosting failed to
    /// start"), so that is what is returned then.
    /// </summary>
    public static Exception StartFailure(this ApiFactory factory)
    {
        var thrown = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        if (thrown is ObjectDisposedException
            && factory.Logs.Entries.LastOrDefault(e => e.Message == "Hosting failed to start")?.Exception is { } logged)
            return logged;
        return thrown;
    }
}
