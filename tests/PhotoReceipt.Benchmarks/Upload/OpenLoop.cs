using System.Diagnostics;

namespace PhotoReceipt.Benchmarks.Upload;

/// <summary>
/// Uploads at a fixed arrival rate, whatever the server does: one upload starts every 1/rate s
/// without waiting for earlier ones, as independent phones would. A closed loop (wait, then send)
/// would slow down with the server and hide the queue that builds up past the knee.
/// </summary>
internal static class OpenLoop
{
    public static async Task<LoadRun> RunAsync(
        HttpClient client, IReadOnlyList<string> tokens, IReadOnlyList<Fixture> photos, double rate, TimeSpan duration, IReadOnlyCollection<int> serverPids)
    {
        var count = (int)Math.Round(rate * duration.TotalSeconds);
        var coresFree = CpuUse.CoresAvailable(Environment.ProcessorCount);
        var generatorBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var ((outcomes, lastSent, maxLagMs, elapsed), cpu) = await CpuUse.MeasureAsync(serverPids, async () =>
        {
            var clock = Stopwatch.StartNew();
            var uploads = new List<Task<UploadOutcome>>(count);
            var maxLag = 0.0;
            for (var i = 0; i < count; i++)
            {
                var due = TimeSpan.FromSeconds(i / rate);
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                maxLag = Math.Max(maxLag, (clock.Elapsed - due).TotalMilliseconds);
                // Round robin over the users keeps each one under the per-user upload limit.
                var (token, photo) = (tokens[i % tokens.Count], photos[i % photos.Count]);
                uploads.Add(Task.Run(() => PhoneUpload.RunAsync(client, token, photo, clock)));
            }
            var sent = clock.Elapsed;
            var done = await Task.WhenAll(uploads);
            return (done, sent, maxLag, clock.Elapsed);
        });
        var generator = (Process.GetCurrentProcess().TotalProcessorTime - generatorBefore).TotalSeconds;
        return new LoadRun(rate, duration, coresFree, outcomes, lastSent, maxLagMs, elapsed, cpu, generator);
    }
}

/// <summary>One run at one rate and what it comes to.</summary>
/// <param name="CoresFree">What a spinning thread per core got just before the run: below the core
/// count, other work on the host was taking CPU the app could not have.</param>
internal sealed record LoadRun(double Rate, TimeSpan Duration, double CoresFree, IReadOnlyList<UploadOutcome> Outcomes,
    TimeSpan LastSent, double MaxSendLagMs, TimeSpan Elapsed, CpuUse Cpu, double GeneratorCpuSeconds)
{
    public int Accepted => Outcomes.Count(o => o.Accepted);
    public int Processed => Outcomes.Count(o => o.Final == "processed");
    public int Failed => Outcomes.Count(o => o.Final == "failed");
    public int Lost => Outcomes.Count(o => o.Accepted && o.Final is null);
    public int NotAccepted => Outcomes.Count - Accepted;
    public IEnumerable<UploadOutcome> Ready => Outcomes.Where(o => o.Final is not null);

    /// <summary>Answers other than 202, by status code or exception: "429×3, 500×1", or "–".</summary>
    public string OtherAnswers => Tally(Outcomes.Where(o => !o.Accepted).Select(o => o.Answer));

    /// <summary>The photos that ended failed with a report (no photo could be made), by file: "bad_noface_1.jpg×2", or "–".</summary>
    public string Refused => Tally(Outcomes.Where(o => o.Final == "failed" && o.Reported).Select(o => o.Photo));

    /// <summary>Finished without a check report: the pipeline broke rather than refusing the photo.</summary>
    public int Broken => Outcomes.Count(o => o.Final is not null && !o.Reported);

    public double ReadyMs(double p) => Stats.Percentile(Ready.Select(o => o.ReadyMs), p);
    public double ServerMs(double p) => Stats.Percentile(Ready.Select(o => o.ServerMs), p);
    public double UploadMs(double p) => Stats.Percentile(Outcomes.Where(o => o.Accepted).Select(o => o.UploadMs), p);
    public double ApiCpuSecondsPerPhoto => Cpu.ServerSeconds / Math.Max(1, Ready.Count());

    /// <summary>Busy CPU on the machine that was neither the app, PostgreSQL nor this load generator.</summary>
    public double OtherCpuSeconds => Math.Max(0, Cpu.MachineSeconds - Cpu.ServerSeconds - Cpu.PostgresSeconds - GeneratorCpuSeconds);

    /// <summary>From the last upload sent to the last photo seen ready; null when photos were lost
    /// (the queue never drained within the give-up time).</summary>
    public TimeSpan? Drain => Lost > 0 || !Ready.Any() ? null : Ready.Max(o => o.SeenReadyAt) - LastSent;

    private static string Tally(IEnumerable<string> values)
    {
        var parts = values.GroupBy(v => v).OrderByDescending(g => g.Count()).Select(g => $"{g.Key}×{g.Count()}").ToList();
        return parts.Count == 0 ? "–" : string.Join(", ", parts);
    }
}
