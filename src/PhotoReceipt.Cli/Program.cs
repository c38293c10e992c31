using Microsoft.Extensions.Configuration;
using PhotoReceipt.Cli;

// The operator's command line: one command per file under Commands/, exit codes in ExitCodes.
// Settings (ConnectionStrings__Postgres, Imaging__…) come from the environment, as for the services.
var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
return await PhotoReceiptCli.RunAsync(args, new CliContext(configuration, Console.In, Console.Out, Console.Error));
