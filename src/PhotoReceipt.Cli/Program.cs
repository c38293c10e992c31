using PhotoReceipt.Cli.Commands;

if (args.Length > 0 && args[0] == "standardize") return await StandardizeCommand.RunAsync(args[1..]);
Console.Error.WriteLine("usage: photoreceipt standardize …");
return 1;
