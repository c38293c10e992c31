// Benchmarks print a table; each one is a named suite: `./build.sh bench <suite>`.
var suites = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["orders"] = PhotoReceipt.Benchmarks.Orders.OrdersBenchmark.RunAsync,
    ["imaging"] = PhotoReceipt.Benchmarks.Imaging.ImagingBenchmark.RunAsync,
    ["devset"] = PhotoReceipt.Benchmarks.Imaging.DevSetRun.RunAsync,
    ["upload"] = PhotoReceipt.Benchmarks.Upload.UploadBenchmark.RunAsync,
};

if (args.Length == 0 || !suites.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: PhotoReceipt.Benchmarks <{string.Join('|', suites.Keys)}> [options]");
    return 2;
}
return await run(args[1..]);
