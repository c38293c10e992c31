using Microsoft.Extensions.Configuration;
using Npgsql;
using PhotoReceipt.Data.Staff;

namespace PhotoReceipt.Cli.Commands;

/// <summary>
/// `photoreceipt staff add --user NAME --role reviewer|support|admin`: creates a console account.
/// The password is read from standard input (first line), never from the command line, where it
/// would be visible in the process list and the shell history.
/// </summary>
public static class StaffCommand
{
    private const string Usage = "usage: photoreceipt staff add --user NAME --role reviewer|support|admin   (password on standard input)";
    private const int MinPasswordLength = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] != "add")
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var options = new ConfigurationBuilder().AddCommandLine(args[1..]).Build();
        var user = options["user"]?.Trim();
        var role = options["role"]?.Trim();
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(role))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (user.Length is < 3 or > 32 || !user.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            Console.Error.WriteLine("photoreceipt staff: --user must be 3–32 letters, digits, '.', '_' or '-'");
            return 2;
        }
        if (!StaffRoles.All.Contains(role))
        {
            Console.Error.WriteLine($"photoreceipt staff: --role must be one of {string.Join(", ", StaffRoles.All)}");
            return 2;
        }
        if (!Console.IsInputRedirected) Console.Error.Write("password: ");
        var password = (await Console.In.ReadLineAsync())?.TrimEnd('\r') ?? "";
        if (password.Length < MinPasswordLength)
        {
            Console.Error.WriteLine($"photoreceipt staff: the password (standard input) must be at least {MinPasswordLength} characters");
            return 2;
        }

        var connectionString = new ConfigurationBuilder().AddEnvironmentVariables().Build().GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("photoreceipt staff: set ConnectionStrings__Postgres");
            return 1;
        }
        await using var db = NpgsqlDataSource.Create(connectionString);
        try
        {
            if (!await new StaffStore(db).AddAsync(user, password, role, CancellationToken.None))
            {
                Console.Error.WriteLine($"photoreceipt staff: the user '{user}' already exists");
                return 1;
            }
            Console.WriteLine($"staff user '{user}' added with role {role}");
            return 0;
        }
        catch (NpgsqlException ex)
        {
            Console.Error.WriteLine($"photoreceipt staff: {ex.Message}");
            return 1;
        }
    }
}
