using System.Diagnostics;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.MiniProgram;

/// <summary>
/// The mini-program's API types are generated from this API's /openapi/v1.json by openapi-typescript
/// and committed (src/PhotoReceipt.MiniProgram/src/api/schema.d.ts). This test generates them again
/// from the app as built: a difference means client and server drifted. `./build.sh api-types`
/// (PHOTORECEIPT_UPDATE_API_TYPES=1) rewrites the file instead.
/// </summary>
public sealed class ApiTypesTests(ApiFactory app) : IClassFixture<ApiFactory>
{
    public static string ClientRoot => Path.Combine(RepoPaths.Root, "src", "PhotoReceipt.MiniProgram");
    private static string Committed => Path.Combine(ClientRoot, "src", "api", "schema.d.ts");

    [Fact]
    public async Task The_committed_client_types_are_what_the_current_api_produces()
    {
        var cli = Path.Combine(ClientRoot, "node_modules", "openapi-typescript", "bin", "cli.js");
        Assert.True(File.Exists(cli), $"{cli} is missing: run npm install in {ClientRoot} (./build.sh test does)");
        var work = Directory.CreateTempSubdirectory("photoreceipt-openapi-").FullName;
        try
        {
            var spec = Path.Combine(work, "v1.json");
            await File.WriteAllTextAsync(spec, await app.CreateClient().GetStringAsync("/openapi/v1.json"));
            var generated = Path.Combine(work, "schema.d.ts");
            var run = Process.Start(new ProcessStartInfo("node", [cli, spec, "--output", generated])
            {
                WorkingDirectory = ClientRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var stderr = run.StandardError.ReadToEndAsync();
            await run.StandardOutput.ReadToEndAsync();
            await run.WaitForExitAsync();
            Assert.True(run.ExitCode == 0, $"openapi-typescript failed: {await stderr}");
            var fresh = (await File.ReadAllTextAsync(generated)).ReplaceLineEndings("\n");

            if (Environment.GetEnvironmentVariable("PHOTORECEIPT_UPDATE_API_TYPES") == "1")
            {
                await File.WriteAllTextAsync(Committed, fresh);
                return;
            }
            Assert.True(File.Exists(Committed), $"{Committed} is missing: run ./build.sh api-types");
            var committed = (await File.ReadAllTextAsync(Committed)).ReplaceLineEndings("\n");
            Assert.True(committed == fresh,
                "src/PhotoReceipt.MiniProgram/src/api/schema.d.ts differs from what /openapi/v1.json produces now: run ./build.sh api-types and commit the result");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
