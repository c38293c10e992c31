using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Imaging.Tests;

[Collection(PipelineCollection.Name)]
public sealed class FixtureMatrixTests(PipelineFixture fx)
{
    public static TheoryData<string> Fixtures() => ["test0.jpg", "test1.jpg", "test2.jpg", "test3.jpg", "test4.jpg"];

    /// <summary>Every real portrait against every spec: a photo in the spec's exact file format, or
    /// a failing rule with a reason; never an exception, never a photo that breaks the file rules.</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Every_spec_gives_a_valid_file_or_a_reason(string file)
    {
        var source = fx.Portrait(file);
        var outcomes = new List<string>();
        foreach (var spec in ProductCatalog.LoadEmbedded().Specs)
        {
            var r = await fx.Pipeline.StandardizeAsync(new PhotoRequest(source, spec), CancellationToken.None);
            if (r.Jpeg is null)
            {
                var fail = Assert.Single(r.Report.Checks, c => c.Status == CheckStatus.Fail);
                Assert.NotNull(fail.Measured);
                Assert.NotNull(fail.Allowed);
                outcomes.Add($"{spec.Id}: {fail.Id}");
                continue;
            }
            SpecOutputTests.AssertFile(r.Jpeg, spec);
            Assert.Equal(CheckStatus.Pass, r.Report.Checks.Single(c => c.Id == "file").Status);
            Assert.All(r.Report.Checks, c => Assert.False(string.IsNullOrWhiteSpace(c.Message)));
            outcomes.Add($"{spec.Id}: {(r.Report.Usable ? "usable" : string.Join(",", r.Report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id)))}");
        }
        OutputDump.Write($"matrix-{file}.txt", System.Text.Encoding.UTF8.GetBytes(string.Join('\n', outcomes)));
        // The plain-wall portraits must be usable for at least the generic sizes.
        if (file is "test0.jpg" or "test3.jpg" or "test4.jpg") Assert.Contains(outcomes, o => o.EndsWith("usable", StringComparison.Ordinal));
        // The busy backgrounds never pass silently.
        if (file is "test1.jpg" or "test2.jpg") Assert.DoesNotContain(outcomes, o => o.EndsWith("usable", StringComparison.Ordinal));
    }
}
