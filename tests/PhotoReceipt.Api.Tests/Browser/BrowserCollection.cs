namespace PhotoReceipt.Api.Tests.Browser;

/// <summary>
/// The Chromium journeys run on their own, after the parallel classes: with the real pipeline, the worker
/// loops and a browser on two cores, sharing the machine with other test classes made their waits
/// (a navigation, a download) run out under load while the same steps take seconds alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}
