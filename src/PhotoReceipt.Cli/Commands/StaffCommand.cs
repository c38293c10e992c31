using Microsoft.Extensions.Configuration;
using Npgsql;
using PhotoReceipt.Data.Staff;

namespace PhotoReceipt.Cli.Commands;

/// <summary>
/// Console accounts:
///   staff add --user NAME --role reviewer|support|admin   (password on standard input)
///   staff passwd --user NAME                              (new password on standard input)
///   staff role --user NAME --role ROLE
///   staff lock --user NAME [--hours N]   /   staff unlock --user NAME
/// Passwords are read from standard input (first line), never from the command line, where they
/// would be visible in the process list and the shell history. passwd, role and lock end every
/// console session of the account at once.
/// </summary>
public static class StaffCommand
{
    private const string Usage = """
        usage: photoreceipt staff add --user NAME --role reviewer|support|admin   (password on standard input)
               photoreceipt staff passwd --user NAME                              (new password on standard input)
               photoreceipt staff role --user NAME --role reviewer|support|admin
               photoreceipt staff lock --user NAME [--hours 876000]
               photoreceipt staff unlock --user NAME
        """;
    private const int MinPasswordLength = 10;
    private static readonly string[] Verbs = ["add", "passwd", "role", "lock", "unlock"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !Verbs.Contains(args[0]))
            return Fail(Usage, 2);
        var verb = args[0];
        var options = new ConfigurationBuilder().AddCommandLine(args[1..]).Build();
        var user = options["user"]?.Trim();
        var role = options["role"]?.Trim();
        if (string.IsNullOrEmpty(user) || (verb is "add" or "role" && string.IsNullOrEmpty(role)))
            return Fail(Usage, 2);
        if (user.Length is < 3 or > 32 || !user.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            return Fail("--user must be 3–32 letters, digits, '.', '_' or '-'", 2);
        if (role is not null && !StaffRoles.All.Contains(role))
            return Fail($"--role must be one of {string.Join(", ", StaffRoles.All)}", 2);
        var password = "";
        if (verb is "add" or "passwd")
        {
            if (!Console.IsInputRedirected) Console.Error.Write("password: ");
            password = (await Console.In.ReadLineAsync())?.TrimEnd('\r') ?? "";
            if (password.Length < MinPasswordLength)
                return Fail($"the password (standard input) must be at least {MinPasswordLength} characters", 2);
        }

        var connectionString = new ConfigurationBuilder().AddEnvironmentVariables().Build().GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString)) return Fail("set ConnectionStrings__Postgres", 1);
        await using var db = NpgsqlDataSource.Create(connectionString);
        var staff = new StaffStore(db, TimeProvider.System);
        var ct = CancellationToken.None;
        try
        {
            switch (verb)
            {
                case "add":
                    if (!await staff.AddAsync(user, password, role!, ct)) return Fail($"the user '{user}' already exists", 1);
                    Console.WriteLine($"staff user '{user}' added with role {role}");
                    return 0;
                case "passwd":
                    return Done(await staff.SetPasswordAsync(user, password, ct), user, "password changed; its sessions ended");
                case "role":
                    return Done(await staff.SetRoleAsync(user, role!, ct), user, $"role set to {role}; its sessions ended");
                case "lock":
                    var hours = double.TryParse(options["hours"], System.Globalization.CultureInfo.InvariantCulture, out var h) && h > 0 ? h : 876_000;
                    return Done(await staff.LockAsync(user, DateTimeOffset.UtcNow.AddHours(hours), ct), user, "locked; its sessions ended");
                default:
                    return Done(await staff.UnlockAsync(user, ct), user, "unlocked");
            }
        }
        catch (NpgsqlException ex)
        {
            return Fail(ex.Message, 1);
        }
    }

    private static int Done(bool found, string user, string what)
    {
        if (!found) return Fail($"no staff user '{user}'", 1);
        Console.WriteLine($"staff user '{user}' {what}");
        return 0;
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine(message.StartsWith("usage", StringComparison.Ordinal) ? message : $"photoreceipt staff: {message}");
        return code;
    }
}
