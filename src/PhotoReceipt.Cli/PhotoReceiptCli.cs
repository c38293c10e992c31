using System.CommandLine;
using Microsoft.Extensions.Configuration;
using PhotoReceipt.Cli.Commands;

namespace PhotoReceipt.Cli;

/// <summary>One convention for every command, stated in the help text.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The input could not be read, or the work could not be done (database unreachable, no such user …).</summary>
    public const int Failed = 1;
    /// <summary>The command line is wrong (System.CommandLine's parse errors and our validators), or the photo fails its checks.</summary>
    public const int UsageOrFailedChecks = 2;

    public const string Help = "Exit codes: 0 ok; 1 unreadable input or the work could not be done; 2 usage error, or a photo that fails its checks.";
}

/// <summary>Where a command reads its settings and talks to the operator (the process's console, or a test's writers).</summary>
public sealed record CliContext(IConfiguration Configuration, TextReader In, TextWriter Out, TextWriter Error)
{
    /// <summary>True when a person is typing (not a pipe or a test): then a prompt helps.</summary>
    public bool Interactive => ReferenceEquals(In, Console.In) && !Console.IsInputRedirected;

    public string? ConnectionString => Configuration.GetConnectionString("Postgres") is { Length: > 0 } s && !string.IsNullOrWhiteSpace(s) ? s : null;
}

public static class PhotoReceiptCli
{
    public static RootCommand Build(CliContext context) =>
        new("photoreceipt: the PhotoReceipt operator's command line. " + ExitCodes.Help)
        {
            MigrateCommand.Create(context),
            StaffCommand.Create(context),
            StandardizeCommand.Create(context),
        };

    public static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var parsed = Build(context).Parse(args);
        // A parse error prints the error and the command's help; System.CommandLine answers 1 for it,
        // our convention 2 (1 is for input that cannot be read).
        var code = await parsed.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error });
        return parsed.Errors.Count > 0 ? ExitCodes.UsageOrFailedChecks : code;
    }
}
