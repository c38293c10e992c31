using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Imaging.Tests;

[Collection(PipelineCollection.Name)]
public sealed class ConcurrencyTests(PipelineFixture fx)
{
    [Fact]
    public async Task Parallel_requests_give_the_same_photos_as_one_at_a_time()
    {
        var sources = new[] { fx.Portrait("test3.jpg"), fx.Portrait("test0.jpg"), fx.Portrait("test4.jpg"), fx.Portrait("test3.jpg") };
        var specs = new[] { "cn-id-card", "generic-small-1in", "generic-2in", "generic-1in" };
        var sequential = new List<byte[]>();
        for (var i = 0; i < sources.Length; i++) sequential.Add((await fx.Run(sources[i], specs[i])).Jpeg!);
        var parallel = await Task.WhenAll(sources.Select((s, i) => fx.Run(s, specs[i])));
        for (var i = 0; i < sources.Length; i++)
        {
            Assert.True(parallel[i].Report.Usable, SpecOutputTests.Describe(parallel[i].Report));
            Assert.Equal(sequential[i], parallel[i].Jpeg);
        }
    }

    [Fact]
    public async Task A_cancelled_request_throws_instead_of_returning_a_report()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            fx.Pipeline.StandardizeAsync(new PhotoRequest(fx.Portrait("test3.jpg"), fx.Spec("cn-id-card")), cts.Token));
    }
}
