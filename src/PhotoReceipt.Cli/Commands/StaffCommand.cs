using System.CommandLine;
using Npgsql;
using PhotoReceipt.Data.Staff;

namespace PhotoReceipt.Cli.Commands;

/// <summary>
/// Console accounts: staff add | passwd | role | lock | unlock. Passwords are read from standard
/// input (first line), never from the command line, where they would be visible in the process list
/// and the shell history. passwd, role and lock end every console session of the account at once.
/// </summary>
public static class StaffCommand
{
    private const int MinPasswordLength = 10;
    /// <summary>A lock without --hours lasts a hundred years: until someone unlocks it.</summary>
    private const double DefaultLockHours = 876_000;

    public static Command Create(CliContext context)
    {
        var user = new Option<string>("--user") { Description = "the account: 3–32 letters, digits, '.', '_' or '-'", Required = true };
        user.Validators.Add(result =>
        {
            var name = result.GetValueOrDefault<string>()?.Trim() ?? "";
            if (name.Length is < 3 or > 32 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                result.AddError("--user must be 3–32 letters, digits, '.', '_' or '-'");
        });
        var role = new Option<string>("--role") { Description = "what the account may do in the console", Required = true };
        role.AcceptOnlyFromAmong([.. StaffRoles.All]);
        var hours = new Option<double>("--hours") { Description = "how long the lock lasts (default: until unlocked)", DefaultValueFactory = _ => DefaultLockHours };
        hours.Validators.Add(result =>
        {
            if (!(result.GetValueOrDefault<double>() > 0)) result.AddError("--hours must be positive");
        });

        var add = new Command("add", "Create an account; its password is the first line of standard input.") { user, role };
        add.SetAction((parsed, ct) => RunAsync(context, Name(parsed, user), readPassword: true, async (staff, name, password) =>
            await staff.AddAsync(name, password, parsed.GetValue(role)!, ct)
                ? Done(context, $"staff user '{name}' added with role {parsed.GetValue(role)}")
                : Fail(context, $"the user '{name}' already exists"), ct));

        var passwd = new Command("passwd", "Set a new password (first line of standard input); ends the account's sessions.") { user };
        passwd.SetAction((parsed, ct) => RunAsync(context, Name(parsed, user), readPassword: true, async (staff, name, password) =>
            Found(context, await staff.SetPasswordAsync(name, password, ct), name, "password changed; its sessions ended"), ct));

        var setRole = new Command("role", "Change the account's role; ends its sessions.") { user, role };
        setRole.SetAction((parsed, ct) => RunAsync(context, Name(parsed, user), readPassword: false, async (staff, name, _) =>
            Found(context, await staff.SetRoleAsync(name, parsed.GetValue(role)!, ct), name, $"role set to {parsed.GetValue(role)}; its sessions ended"), ct));

        var @lock = new Command("lock", "Lock the account; ends its sessions.") { user, hours };
        @lock.SetAction((parsed, ct) => RunAsync(context, Name(parsed, user), readPassword: false, async (staff, name, _) =>
            Found(context, await staff.LockAsync(name, DateTimeOffset.UtcNow.AddHours(parsed.GetValue(hours)), ct), name, "locked; its sessions ended"), ct));

        var unlock = new Command("unlock", "Unlock the account.") { user };
        unlock.SetAction((parsed, ct) => RunAsync(context, Name(parsed, user), readPassword: false, async (staff, name, _) =>
            Found(context, await staff.UnlockAsync(name, ct), name, "unlocked"), ct));

        return new Command("staff", "Staff console accounts (roles: " + string.Join(", ", StaffRoles.All) + ").") { add, passwd, setRole, @lock, unlock };
    }

    private static string Name(ParseResult parsed, Option<string> user) => parsed.GetValue(user)!.Trim();

    private static async Task<int> RunAsync(CliContext context, string user, bool readPassword,
        Func<StaffStore, string, string, Task<int>> work, CancellationToken ct)
    {
        var password = "";
        if (readPassword)
        {
            if (context.Interactive) await context.Error.WriteAsync("password: ");
            password = (await context.In.ReadLineAsync(ct))?.TrimEnd('\r') ?? "";
            if (password.Length < MinPasswordLength)
            {
                await context.Error.WriteLineAsync($"photoreceipt staff: the password (standard input) must be at least {MinPasswordLength} characters");
                return ExitCodes.UsageOrFailedChecks;
            }
        }
        if (context.ConnectionString is not { } connectionString) return Fail(context, "set ConnectionStrings__Postgres");
        await using var db = NpgsqlDataSource.Create(connectionString);
        try
        {
            return await work(new StaffStore(db, TimeProvider.System), user, password);
        }
        catch (NpgsqlException ex)
        {
            return Fail(context, ex.Message);
        }
    }

    private static int Found(CliContext context, bool found, string user, string what) =>
        found ? Done(context, $"staff user '{user}' {what}") : Fail(context, $"no staff user '{user}'");

    private static int Done(CliContext context, string message)
    {
        context.Out.WriteLine(message);
        return ExitCodes.Ok;
    }

    private static int Fail(CliContext context, string message)
    {
        context.Error.WriteLine($"photoreceipt staff: {message}");
        return ExitCodes.Failed;
    }
}
