using PhotoReceipt.Cli.Commands;

// The operator's command line: one command per file under Commands/.
var commands = new Dictionary<string, (string Help, Func<string[], Task<int>> Run)>(StringComparer.Ordinal)
{
    ["migrate"] = ("apply pending database migrations (ConnectionStrings__Postgres)", MigrateCommand.RunAsync),
    ["standardize"] = ("make a spec-compliant ID photo and its check report from a photo file", StandardizeCommand.RunAsync),
    ["staff"] = ("staff add --user NAME --role reviewer|support|admin (password on stdin)", StaffCommand.RunAsync),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine("usage: photoreceipt <command> [options]");
    foreach (var (name, (help, _)) in commands) Console.Error.WriteLine($"  {name,-12} {help}");
    return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
}
return await command.Run(args[1..]);
