using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Imaging.Tests;

[Collection(PipelineCollection.Name)]
public sealed class FixtureMatrixTests(PipelineFixture fx)
{
    public static TheoryData<string> Fixtures() => ["test0.jpg", "test1.jpg", "test2.jpg", "test3.jpg", "test4.jpg"];

    /// <summary>Every fixture against every spec: a photo in the spec's exact file format, or failing
    /// rules each with what was measured and what is allowed; never an exception.</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Every_spec_gives_a_valid_file_or_its_reasons(string file)
    {
        var source = fx.Portrait(file);
        var outcomes = new List<string>();
        foreach (var spec in ProductCatalog.LoadEmbedded().Specs)
        {
            var r = await fx.Pipeline.StandardizeAsync(new PhotoRequest(source, spec), CancellationToken.None);
            var fails = r.Report.Checks.Where(c => c.Status == CheckStatus.Fail).ToList();
            Assert.All(r.Report.Checks, c => Assert.False(string.IsNullOrWhiteSpace(c.Message)));
            Assert.All(fails, c => Assert.NotNull(c.Allowed));
            // Failures come first, so the most useful fix is the first thing a user reads.
            Assert.Equal(fails, r.Report.Checks.Take(fails.Count));
            if (r.Jpeg is not null)
            {
                SpecOutputTests.AssertFile(r.Jpeg, spec);
                Assert.Equal(CheckStatus.Pass, r.Report.Checks.Single(c => c.Id == "file").Status);
            }
            outcomes.Add($"{spec.Id}: {(r.Report.Usable ? "usable" : string.Join(",", fails.Select(c => c.Id)))}");
        }
        OutputDump.Write($"matrix-{file}.txt", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', outcomes)));
        // Every fixture is a usable portrait for the generic sizes, busy backgrounds included.
        Assert.Contains(outcomes, o => o.StartsWith("generic-1in: usable", StringComparison.Ordinal));
    }
}
