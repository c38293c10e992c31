using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using Npgsql;
using PhotoReceipt.Data.Staff;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Cli.Tests;

/// <summary>The operator's commands run in-process against a real database, with a test's standard streams.</summary>
public sealed class CliTests(PostgresDatabase db) : IClassFixture<PostgresDatabase>
{
    private const string Password = "correct horse battery staple";

    private sealed record Run(int Code, string Out, string Error);

    private async Task<Run> RunAsync(string stdin, params string[] args) => await RunWithAsync(db.ConnectionString, stdin, args);

    private static async Task<Run> RunWithAsync(string? connectionString, string stdin, params string[] args)
    {
        var settings = new Dictionary<string, string?>();
        if (connectionString is not null) settings["ConnectionStrings:Postgres"] = connectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PhotoReceiptCli.RunAsync(args, new CliContext(configuration, new StringReader(stdin), output, error));
        return new Run(code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Help_lists_every_command_and_the_exit_codes()
    {
        var help = await RunAsync("", "--help");
        Assert.Equal(0, help.Code);
        foreach (var command in new[] { "migrate", "staff", "standardize" }) Assert.Contains(command, help.Out, StringComparison.Ordinal);
        Assert.Contains(ExitCodes.Help, help.Out, StringComparison.Ordinal);
        var staff = await RunAsync("", "staff", "--help");
        foreach (var verb in new[] { "add", "passwd", "role", "lock", "unlock" }) Assert.Contains(verb, staff.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData()]
    [InlineData("frobnicate")]
    [InlineData("staff")]
    [InlineData("staff", "add", "--role", "reviewer")]
    [InlineData("staff", "add", "--user", "a!", "--role", "reviewer")]
    [InlineData("staff", "role", "--user", "alice", "--role", "boss")]
    [InlineData("staff", "lock", "--user", "alice", "--hours", "-3")]
    [InlineData("standardize", "--out", "o.jpg", "in.jpg")]
    [InlineData("standardize", "--spec", "no-such-spec", "--out", "o.jpg", "in.jpg")]
    [InlineData("standardize", "--spec", "cn-id-card", "--background", "plaid", "--out", "o.jpg", "in.jpg")]
    [InlineData("migrate", "--force")]
    public async Task A_wrong_command_line_is_a_usage_error_with_exit_code_2(params string[] args)
    {
        var run = await RunAsync(Password, args);
        Assert.Equal(ExitCodes.UsageOrFailedChecks, run.Code);
        Assert.NotEmpty(run.Error.Trim());
    }

    [Fact]
    public async Task Staff_accounts_are_added_changed_locked_and_unlocked()
    {
        var name = "alice-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(0, (await RunAsync(Password + "\n", "staff", "add", "--user", name, "--role", "reviewer")).Code);
        Assert.Equal(("reviewer", false), await AccountAsync(name));
        var again = await RunAsync(Password + "\n", "staff", "add", "--user", name, "--role", "support");
        Assert.Equal(ExitCodes.Failed, again.Code);
        Assert.Contains("already exists", again.Error, StringComparison.Ordinal);

        // The password comes from standard input only, and a short one is refused before anything changes.
        Assert.Equal(ExitCodes.UsageOrFailedChecks, (await RunAsync("short\n", "staff", "passwd", "--user", name)).Code);
        Assert.Equal(0, (await RunAsync("a new passphrase\n", "staff", "passwd", "--user", name)).Code);
        var staff = new StaffStore(db.DataSource, TimeProvider.System);
        Assert.IsType<SignInResult.Success>(await staff.SignInAsync(name, "a new passphrase", "cli-test", CancellationToken.None));

        Assert.Equal(0, (await RunAsync("", "staff", "role", "--user", name, "--role", "support")).Code);
        Assert.Equal(0, (await RunAsync("", "staff", "lock", "--user", name, "--hours", "2")).Code);
        Assert.Equal(("support", true), await AccountAsync(name));
        Assert.Equal(0, (await RunAsync("", "staff", "unlock", "--user", name)).Code);
        Assert.Equal(("support", false), await AccountAsync(name));

        var missing = await RunAsync("", "staff", "unlock", "--user", "nobody-here");
        Assert.Equal(ExitCodes.Failed, missing.Code);
        Assert.Contains("no staff user 'nobody-here'", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_leaves_an_up_to_date_database_alone_and_needs_a_connection_string()
    {
        var run = await RunAsync("", "migrate");
        Assert.Equal(0, run.Code);
        Assert.Contains("database is up to date", run.Out, StringComparison.Ordinal);
        var unset = await RunWithAsync(null, "", "migrate");
        Assert.Equal(ExitCodes.Failed, unset.Code);
        Assert.Contains("ConnectionStrings__Postgres", unset.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standardize_answers_0_or_2_by_the_report_and_1_for_input_it_cannot_read()
    {
        var dir = Directory.CreateTempSubdirectory("photoreceipt-cli-").FullName;
        try
        {
            Assert.Equal(ExitCodes.Failed, (await RunAsync("", "standardize", "--spec", "cn-id-card", "--out", Path.Combine(dir, "o.jpg"), Path.Combine(dir, "missing.jpg"))).Code);
            var text = Path.Combine(dir, "notes.jpg");
            await File.WriteAllTextAsync(text, "not a photo at all");
            Assert.Equal(ExitCodes.Failed, (await RunAsync("", "standardize", "--spec", "cn-id-card", "--out", Path.Combine(dir, "o.jpg"), text)).Code);

            var output = Path.Combine(dir, "out.jpg");
            var report = Path.Combine(dir, "report.json");
            var run = await RunAsync("", "standardize", "--spec", "cn-id-card", "--out", output, "--report", report,
                Path.Combine(RepoPaths.Portraits, "test0.jpg"));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            var usable = json.RootElement.GetProperty("usable").GetBoolean();
            Assert.Equal(usable ? ExitCodes.Ok : ExitCodes.UsageOrFailedChecks, run.Code);
            Assert.True(File.Exists(output), run.Out + run.Error);
            Assert.Contains("wrote " + output, run.Out, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<(string Role, bool Locked)> AccountAsync(string name)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var row = await conn.QuerySingleAsync<(string, bool)>(
            "SELECT role, coalesce(locked_until > now(), false) FROM staff_users WHERE username = @name", new { name });
        return row;
    }
}
