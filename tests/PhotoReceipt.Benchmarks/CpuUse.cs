using System.Diagnostics;
using System.Globalization;

namespace PhotoReceipt.Benchmarks;

/// <summary>
/// Where the CPU went during one measurement, from /proc: the processes serving the endpoint (the API, and
/// the worker where the work goes on there), all PostgreSQL processes, and the whole machine (the load
/// generator and the kernel's loopback work included).
/// </summary>
public sealed record CpuUse(double ServerSeconds, double PostgresSeconds, double MachineSeconds)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static async Task<(T Result, CpuUse Cpu)> MeasureAsync<T>(IReadOnlyCollection<int> serverPids, Func<Task<T>> run)
    {
        var (server, postgres, machine) = (serverPids.Sum(ProcessTicks), PostgresTicks(), MachineTicks());
        var result = await run();
        return (result, new CpuUse(
            (serverPids.Sum(ProcessTicks) - server) / TicksPerSecond,
            (PostgresTicks() - postgres) / TicksPerSecond,
            (MachineTicks() - machine) / TicksPerSecond));
    }

    /// <summary>CPU microseconds per request: (server, PostgreSQL, machine).</summary>
    public (double Server, double Postgres, double Machine) PerRequestMicros(long requests) =>
        (ServerSeconds * 1e6 / requests, PostgresSeconds * 1e6 / requests, MachineSeconds * 1e6 / requests);

    /// <summary>Threads spinning for a second: how much CPU the machine gives this process right now.
    /// When other work saturates the cores, nothing measured can scale, and this shows it.</summary>
    public static double CoresAvailable(int threads)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var spinners = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var x = 0.0;
            while (sw.ElapsedMilliseconds < 1000) x = Math.Sqrt(x + 1);
            GC.KeepAlive(x);
        })).ToList();
        spinners.ForEach(t => t.Start());
        spinners.ForEach(t => t.Join());
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds / sw.Elapsed.TotalSeconds;
    }

    /// <summary>utime + stime of one process, in clock ticks (0 once it has gone).</summary>
    private static long ProcessTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long PostgresTicks()
    {
        long sum = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, out var pid)) continue;
            string comm;
            try { comm = File.ReadAllText($"{dir}/comm").Trim(); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (comm == "postgres") sum += ProcessTicks(pid);
        }
        return sum;
    }

    /// <summary>Busy ticks of all CPUs: everything in /proc/stat's cpu line except idle and iowait.</summary>
    private static long MachineTicks()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = cpu.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return values.Sum() - values[3] - values[4];
    }
}
